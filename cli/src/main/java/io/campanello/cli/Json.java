package io.campanello.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the CLI, and the few ways the commands read and print JSON trees. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @throws JacksonException when the text is not JSON */
    static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    static String compact(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static String pretty(JsonNode node) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** A scalar field as text, {@code "-"} when it is absent or null, so that tables keep their columns. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        return value.isValueNode() ? value.asString() : compact(value);
    }

    /** A count in a status answer; 0 while the server has not reported it. */
    static long count(JsonNode node, String field) {
        return node.path(field).asLong(0);
    }
}
