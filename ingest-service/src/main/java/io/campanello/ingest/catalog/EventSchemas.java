package io.campanello.ingest.catalog;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.resource.SchemaLoader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compiles tenants' JSON Schemas (2020-12) into validators that are safe to run on every event: patterns run on a
 * linear-time engine with a bounded size ({@link LinearRegularExpressions}), {@code $ref}s point only inside the
 * schema (nothing is ever loaded from a URL, a file or the class path), and every reference is resolved when the
 * schema is compiled, not when the first event arrives.
 */
final class EventSchemas {

    /** Why a schema cannot be used, naming where in it. */
    static final class UnusableSchemaException extends Exception {

        private static final long serialVersionUID = 1L;

        UnusableSchemaException(String reason) {
            super(reason);
        }
    }

    private static final int MAX_REPORTED_PROBLEMS = 5;
    private static final List<String> PROBES = List.of("null", "{}", "[]", "\"\"", "0", "true");
    private static final String ROOT = "schema";
    /** Keywords whose values are data, not schemas: a "pattern" or "$ref" inside them is just a value. */
    private static final Set<String> DATA_KEYWORDS = Set.of("enum", "const", "default", "examples");

    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    /** The only documents a schema may name: the bundled meta-schemas (its {@code $schema}). */
    private static final List<String> META_SCHEMAS = List.of("https://json-schema.org/", "http://json-schema.org/");

    private final JsonMapper json = JsonMapper.builder().build();
    private final SchemaRegistryConfig config = SchemaRegistryConfig.builder()
            .regularExpressionFactory(new LinearRegularExpressions())
            .build();
    private final SchemaLoader loader = SchemaLoader.builder()
            .allow(iri -> META_SCHEMAS.stream().anyMatch(iri.toString()::startsWith))
            .build();
    private final Schema metaSchema =
            registry().getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    /** A registry per schema, so that one tenant's {@code $id}s are never visible to another tenant's schema. */
    private SchemaRegistry registry() {
        return SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config).schemaLoader(loader));
    }

    /** Compiles a schema, or says why it cannot be used. */
    Schema compile(String text) throws UnusableSchemaException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JacksonException e) {
            throw new UnusableSchemaException("'schema' is not JSON");
        }
        List<Error> errors = metaSchema.validate(root);
        if (!errors.isEmpty()) {
            throw new UnusableSchemaException(
                    "'schema' is not a valid JSON Schema (2020-12): " + describe(ROOT, errors));
        }
        List<String> problems = new ArrayList<>();
        inspect(root, root, ROOT, hasNestedId(root, true), problems);
        if (!problems.isEmpty()) {
            throw new UnusableSchemaException(
                    problems.stream().limit(MAX_REPORTED_PROBLEMS).collect(Collectors.joining("; ")));
        }
        try {
            Schema schema = registry().getSchema(root);
            schema.initializeValidators();
            probe(schema);
            return schema;
        } catch (SchemaException e) {
            throw new UnusableSchemaException("'schema' cannot be compiled: " + e.getMessage());
        } catch (RuntimeException e) {
            // The validator reports a dangling reference it could not load with a NullPointerException.
            throw new UnusableSchemaException("'schema' cannot be compiled: a reference in it cannot be resolved");
        }
    }

    /**
     * A {@code $ref} cycle that reads no data ({@code {"$ref": "#"}}) overflows the stack on every event; checking a
     * few values of each JSON type finds the ones not guarded by the data (the others are caught per event).
     */
    private static void probe(Schema schema) throws UnusableSchemaException {
        try {
            for (String value : PROBES) {
                schema.validate(value, InputFormat.JSON);
            }
        } catch (StackOverflowError e) {
            throw new UnusableSchemaException(
                    "'schema' refers to itself without end (a $ref cycle that reads no data)");
        }
    }

    /** The failing paths of a validation, at most a few, rooted at {@code root} ("data", "schema"). */
    static String describe(String root, List<Error> errors) {
        return errors.stream()
                .limit(MAX_REPORTED_PROBLEMS)
                .map(error -> root + error.getInstanceLocation().toString().replaceFirst("^\\$", "") + ": "
                        + error.getMessage())
                .collect(Collectors.joining("; "));
    }

    /** Finds patterns that cannot run safely and references that leave the schema, naming their paths. */
    private static void inspect(JsonNode node, JsonNode root, String path, boolean nestedIds, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                inspect(node.get(i), root, path + "/" + i, nestedIds, problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            JsonNode value = property.getValue();
            String at = path + "/" + name;
            if (DATA_KEYWORDS.contains(name)) {
                continue;
            }
            if (name.equals("pattern") && value.isString()) {
                LinearRegularExpressions.problem(value.stringValue())
                        .ifPresent(problem -> problems.add(at + ": " + problem));
            } else if (name.equals("patternProperties") && value.isObject()) {
                for (String pattern : value.propertyNames()) {
                    LinearRegularExpressions.problem(pattern)
                            .ifPresent(problem -> problems.add(at + "/" + pattern + ": " + problem));
                }
            } else if (REFERENCE_KEYWORDS.contains(name) && value.isString()) {
                reference(value.stringValue(), root, nestedIds).ifPresent(problem -> problems.add(at + ": " + problem));
            }
            inspect(value, root, at, nestedIds, problems);
        }
    }

    private static Optional<String> reference(String ref, JsonNode root, boolean nestedIds) {
        if (!ref.startsWith("#")) {
            return Optional.of("'" + ref + "' refers to another document; only references inside the schema"
                    + " ('#/$defs/…') are allowed, Campanello never loads a schema from elsewhere");
        }
        if (!ref.startsWith("#/") || nestedIds) {
            // An anchor, or a pointer whose base may be a nested $id: the validator resolves it when compiling.
            return Optional.empty();
        }
        String pointer;
        try {
            pointer = URI.create(ref).getFragment();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + ref + "' is not a valid reference");
        }
        return root.at(pointer).isMissingNode()
                ? Optional.of("'" + ref + "' points to nothing in the schema")
                : Optional.empty();
    }

    private static boolean hasNestedId(JsonNode node, boolean isRoot) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (DATA_KEYWORDS.contains(property.getKey())) {
                    continue;
                }
                if (!isRoot && property.getKey().equals("$id")) {
                    return true;
                }
                if (hasNestedId(property.getValue(), false)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (hasNestedId(item, false)) {
                    return true;
                }
            }
        }
        return false;
    }
}
