package io.campanello.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operators' own CustomResourceDefinitions, and the check the API server makes of a custom resource against them:
 * its version is one the CRD serves and does not deprecate, and its content matches that version's schema (see
 * {@link StructuralSchema}). The CRDs are not kept in the repository: they are obtained at build time from Maven
 * Central (see {@code src/test/resources/crds/README.md}).
 */
final class CustomResourceDefinitions {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    /**
     * Strimzi's KafkaTopic, as Strimzi's CRD generator makes it ({@link StrimziCrd}). KEDA's ScaledObject and the
     * Prometheus Operator's ServiceMonitor have no CRD published where the build can fetch it: {@link CustomResources}.
     */
    static final CustomResourceDefinitions OPERATORS = load(StrimziCrd.kafkaTopic(), StrimziCrd.release());

    /** One CRD: its group, kind, the release it comes from (for messages) and its versions by name. */
    record Definition(String group, String kind, String source, Map<String, Version> versions) {}

    /** One version of a CRD, with its schema compiled. */
    record Version(String name, boolean served, boolean deprecated, Schema schema) {}

    private final Map<String, Definition> byGroupAndKind;

    private CustomResourceDefinitions(List<Definition> definitions) {
        Map<String, Definition> indexed = new LinkedHashMap<>();
        definitions.forEach(definition -> indexed.put(definition.group() + "/" + definition.kind(), definition));
        this.byGroupAndKind = Map.copyOf(indexed);
    }

    /** The CRD in this file, named in messages as coming from this source (an operator and its release). */
    static CustomResourceDefinitions load(Path file, String source) {
        try (InputStream in = Files.newInputStream(file)) {
            return new CustomResourceDefinitions(List.of(definition(YAML.readTree(in), source)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CRDs given as parsed documents (tests that change a CRD use this). */
    static CustomResourceDefinitions of(List<Map<String, Object>> crds) {
        return new CustomResourceDefinitions(crds.stream()
                .map(crd -> definition(JSON.valueToTree(crd), "a test"))
                .toList());
    }

    /** Whether one of these CRDs defines the kind of this apiVersion's group, whatever the version. */
    boolean defines(String apiVersion, String kind) {
        return byGroupAndKind.containsKey(group(apiVersion) + "/" + kind);
    }

    /** What the API server would refuse in this custom resource of a kind {@link #defines defined} here. */
    List<String> violations(Map<String, Object> document, String where) {
        String apiVersion = String.valueOf(document.get("apiVersion"));
        String kind = String.valueOf(document.get("kind"));
        Definition definition = byGroupAndKind.get(group(apiVersion) + "/" + kind);
        String versionName = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Version version = definition.versions().get(versionName);
        String use = definition.versions().values().stream()
                .filter(usable -> usable.served() && !usable.deprecated())
                .map(Version::name)
                .collect(Collectors.joining(", "));
        if (version == null || !version.served()) {
            return List.of(
                    where + ": " + apiVersion + " is not served by " + definition.source() + " (use " + use + ")");
        }
        if (version.deprecated()) {
            return List.of(
                    where + ": " + apiVersion + " is deprecated by " + definition.source() + " (use " + use + ")");
        }
        List<Error> errors = version.schema().validate(JSON.valueToTree(document));
        return errors.stream()
                .map(error -> where + ": " + error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    private static Definition definition(JsonNode crd, String source) {
        JsonNode spec = crd.path("spec");
        Map<String, Version> versions = new LinkedHashMap<>();
        for (JsonNode version : spec.path("versions")) {
            String name = version.path("name").asString();
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                throw new IllegalStateException(source + ": version " + name + " has no openAPIV3Schema");
            }
            versions.put(
                    name,
                    new Version(
                            name,
                            version.path("served").asBoolean(false),
                            version.path("deprecated").asBoolean(false),
                            SCHEMAS.getSchema(StructuralSchema.toJsonSchema(schema))));
        }
        long storage = spec.path("versions")
                .valueStream()
                .filter(version -> version.path("storage").asBoolean(false))
                .count();
        if (storage != 1) {
            throw new IllegalStateException(source + ": " + storage + " storage versions, the API server wants one");
        }
        return new Definition(
                spec.path("group").asString(),
                spec.path("names").path("kind").asString(),
                source,
                Collections.unmodifiableMap(versions));
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
