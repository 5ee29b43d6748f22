package io.campanello.ingest.source;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Where one attribute of an event is found in a source record: its key, a header, a JSON pointer into its value,
 * the whole value, or a constant.
 */
record FieldLocation(Kind kind, String name) {

    /** The part of a record a location reads. */
    enum Kind {
        KEY,
        HEADER,
        POINTER,
        VALUE,
        CONSTANT
    }

    private static final String HEADER_PREFIX = "header:";
    private static final String CONSTANT_PREFIX = "constant:";

    /** Reads a location as configured; says what is wrong when it is none. */
    static FieldLocation parse(String attribute, String text) {
        if (text.equals("key")) {
            return new FieldLocation(Kind.KEY, null);
        }
        if (text.equals("value")) {
            return new FieldLocation(Kind.VALUE, null);
        }
        if (text.startsWith(HEADER_PREFIX) && text.length() > HEADER_PREFIX.length()) {
            return new FieldLocation(Kind.HEADER, text.substring(HEADER_PREFIX.length()));
        }
        if (text.startsWith(CONSTANT_PREFIX) && text.length() > CONSTANT_PREFIX.length()) {
            return new FieldLocation(Kind.CONSTANT, text.substring(CONSTANT_PREFIX.length()));
        }
        if (text.startsWith("/")) {
            try {
                JsonPointer.compile(text);
                return new FieldLocation(Kind.POINTER, text);
            } catch (IllegalArgumentException e) {
                throw invalid(attribute, text);
            }
        }
        throw invalid(attribute, text);
    }

    private static IllegalArgumentException invalid(String attribute, String text) {
        return new IllegalArgumentException("the mapping of '" + attribute + "' is '" + text
                + "': expected key, value, header:<name>, constant:<text> or a JSON pointer such as /order/id");
    }

    /**
     * What the location holds in a record whose value reads as {@code value} (null when it has none); null when the
     * record does not have it.
     */
    JsonNode find(ConsumerRecord<String, byte[]> record, JsonNode value) {
        switch (kind) {
            case KEY:
                return record.key() == null ? null : StringNode.valueOf(record.key());
            case HEADER:
                Header header = record.headers().lastHeader(name);
                return header == null || header.value() == null
                        ? null
                        : StringNode.valueOf(new String(header.value(), StandardCharsets.UTF_8));
            case POINTER:
                JsonNode found = value == null ? null : value.at(name);
                return found == null || found.isMissingNode() || found.isNull() ? null : found;
            case VALUE:
                return value == null || value.isNull() ? null : value;
            case CONSTANT:
                return StringNode.valueOf(name);
            default:
                throw new IllegalStateException("unknown location " + kind);
        }
    }

    /** Names the location in a dead letter's reason, e.g. {@code header 'event-type'}. */
    String describe() {
        switch (kind) {
            case KEY:
                return "the record key";
            case HEADER:
                return "header '" + name + "'";
            case POINTER:
                return "'" + name + "' in the value";
            case VALUE:
                return "the value";
            default:
                return "the constant";
        }
    }
}
