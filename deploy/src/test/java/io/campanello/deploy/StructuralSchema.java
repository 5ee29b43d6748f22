package io.campanello.deploy;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a CRD version's {@code openAPIV3Schema} (a Kubernetes structural schema) into a JSON Schema (draft 4, the
 * dialect OpenAPI 3.0 schemas follow) that refuses what the API server refuses:
 *
 * <ul>
 *   <li>an object refuses fields its schema does not name ({@code additionalProperties: false}) unless it has
 *       {@code x-kubernetes-preserve-unknown-fields} or {@code additionalProperties} of its own; the API server
 *       drops such fields, or refuses them under strict field validation, the default of kubectl and Helm's
 *       server-side apply — either way the chart's setting never takes effect;
 *   <li>{@code x-kubernetes-int-or-string} takes an integer or a string, {@code nullable} adds null;
 *   <li>an {@code x-kubernetes-embedded-resource} object takes {@code apiVersion}, {@code kind} and {@code metadata};
 *   <li>the root's {@code metadata} is left open here: the API server checks it as an {@code ObjectMeta}, and so
 *       does {@link StrictValidator}.
 * </ul>
 *
 * <p>{@code format} is dropped: the API server ignores {@code int32}/{@code int64}, and the other formats in these
 * CRDs are only on status fields. Defaults are not applied: the API server applies them before validating, which
 * can only make a document more valid (a defaulted field then counts as present), never less, so a pass here is a
 * pass there. {@code x-kubernetes-validations} (CEL rules) are not evaluated.
 */
final class StructuralSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StructuralSchema() {}

    /** The JSON Schema for a CRD version's {@code openAPIV3Schema}. */
    static ObjectNode toJsonSchema(JsonNode openApiV3Schema) {
        ObjectNode root = convert(openApiV3Schema, false);
        JsonNode properties = root.get("properties");
        if (properties instanceof ObjectNode named && named.has("metadata")) {
            named.set("metadata", NODES.objectNode().put("type", "object"));
        }
        return root;
    }

    private static ObjectNode convert(JsonNode schema, boolean insideJunctor) {
        ObjectNode converted = NODES.objectNode();
        for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
            String name = keyword.getKey();
            JsonNode value = keyword.getValue();
            switch (name) {
                case "properties" -> converted.set(name, convertEach(value));
                case "items", "not" -> converted.set(name, convert(value, name.equals("not") || insideJunctor));
                case "additionalProperties" ->
                    converted.set(name, value.isObject() ? convert(value, insideJunctor) : value);
                case "anyOf", "allOf", "oneOf" -> converted.set(name, convertAll(value));
                case "format", "nullable" -> {
                    // format: see the class comment; nullable: below.
                }
                default -> {
                    if (!name.startsWith("x-kubernetes-")) {
                        converted.set(name, value);
                    }
                }
            }
        }
        if (flag(schema, "x-kubernetes-int-or-string") && !converted.has("anyOf")) {
            converted.set("anyOf", NODES.arrayNode().add(type("integer")).add(type("string")));
        }
        if (flag(schema, "x-kubernetes-embedded-resource")) {
            ObjectNode properties = converted.has("properties")
                    ? (ObjectNode) converted.get("properties")
                    : converted.putObject("properties");
            properties.putIfAbsent("apiVersion", type("string"));
            properties.putIfAbsent("kind", type("string"));
            properties.putIfAbsent("metadata", type("object"));
        }
        boolean isObject = "object".equals(schema.path("type").asString(""));
        if (isObject
                && !insideJunctor
                && !flag(schema, "x-kubernetes-preserve-unknown-fields")
                && !converted.has("additionalProperties")) {
            converted.put("additionalProperties", false);
        }
        if (flag(schema, "nullable")) {
            allowNull(converted);
        }
        return converted;
    }

    private static ObjectNode convertEach(JsonNode properties) {
        ObjectNode converted = NODES.objectNode();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            converted.set(property.getKey(), convert(property.getValue(), false));
        }
        return converted;
    }

    private static ArrayNode convertAll(JsonNode schemas) {
        ArrayNode converted = NODES.arrayNode();
        for (JsonNode schema : schemas) {
            converted.add(convert(schema, true));
        }
        return converted;
    }

    private static void allowNull(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isString()) {
            schema.set("type", NODES.arrayNode().add(type.asString()).add("null"));
        } else if (schema.get("anyOf") instanceof ArrayNode alternatives) {
            alternatives.add(type("null"));
        }
    }

    private static ObjectNode type(String name) {
        return NODES.objectNode().put("type", name);
    }

    private static boolean flag(JsonNode schema, String name) {
        return schema.path(name).asBoolean(false);
    }
}
