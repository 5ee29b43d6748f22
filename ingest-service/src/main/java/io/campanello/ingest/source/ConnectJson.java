package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * Reads what Kafka Connect's converters write: {@code JsonConverter} with {@code schemas.enable=true} (an envelope
 * {@code {"schema": {...}, "payload": ...}}, of which the payload is the value) or {@code false} (the value as JSON),
 * and {@code StringConverter} (text, which may itself be JSON).
 */
final class ConnectJson {

    private final EventParser parser;

    ConnectJson(EventParser parser) {
        this.parser = parser;
    }

    /** A record's value as JSON, without the schema envelope. */
    JsonNode value(byte[] value) {
        try {
            return payload(parser.readJson(value));
        } catch (InvalidEventException e) {
            throw unreadable(e.code(), e.getMessage());
        }
    }

    /**
     * JSON kept in a text column (an outbox's {@code payload} of type {@code jsonb} or {@code text}) arrives as a JSON
     * string: an object or array in it is read as JSON; any other text stays text.
     */
    JsonNode embedded(JsonNode node) {
        if (node.isString()) {
            String text = node.stringValue().strip();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    return parser.readJson(text.getBytes(StandardCharsets.UTF_8));
                } catch (InvalidEventException e) {
                    return node;
                }
            }
        }
        return node;
    }

    /**
     * A key or header as text: {@code StringConverter}'s and {@code SimpleHeaderConverter}'s plain text as it is, a
     * {@code JsonConverter}'s string or number (with or without envelope) as its text, a struct (a change event's
     * primary key) as its JSON text.
     */
    String text(String raw) {
        if (raw == null) {
            return null;
        }
        if (!raw.startsWith("\"") && !raw.startsWith("{")) {
            return raw; // plain text (or a bare number, which reads the same): no need to parse it
        }
        JsonNode node = node(raw);
        if (node == null || node.isContainer()) {
            return raw;
        }
        return node.isNull() ? null : node.asString();
    }

    /** Text as JSON without the schema envelope; null when it is not JSON. */
    JsonNode node(String raw) {
        try {
            return payload(parser.readJson(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidEventException e) {
            return null;
        }
    }

    private static JsonNode payload(JsonNode node) {
        if (node.isObject() && node.size() == 2 && node.has("payload")) {
            JsonNode schema = node.get("schema");
            if (schema != null && (schema.isNull() || schema.isObject() && schema.has("type"))) {
                return node.get("payload");
            }
        }
        return node;
    }
}
