package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a record in CloudEvents' Kafka protocol binding (version 1.0) into an event in CloudEvents' JSON shape:
 * structured mode when its {@code content-type} header is {@code application/cloudevents+json} (the whole event is
 * the value), binary mode when it has a {@code ce_specversion} header (attributes in {@code ce_*} headers, the data
 * in the value, its media type in {@code content-type}). Data is JSON (no content type or a JSON one) or text.
 */
final class CloudEventsBinding {

    /** The header that carries the media type of the value (structured mode) or of the data (binary mode). */
    static final String CONTENT_TYPE = "content-type";

    /** The prefix of the headers that carry the event's attributes in binary mode. */
    static final String ATTRIBUTE_PREFIX = "ce_";

    /** The media type of a whole event in the value (structured mode). */
    static final String STRUCTURED = "application/cloudevents+json";

    private static final String SPEC_VERSION = "1.0";
    private static final List<String> REQUIRED = List.of("id", "source", "type");

    private final EventParser parser;

    CloudEventsBinding(EventParser parser) {
        this.parser = parser;
    }

    SourceRecordMapper.Read read(ConsumerRecord<String, byte[]> record) {
        String contentType = header(record, CONTENT_TYPE);
        String mediaType = contentType == null ? null : mediaType(contentType);
        if (STRUCTURED.equals(mediaType)) {
            return structured(record);
        }
        if (mediaType != null && mediaType.startsWith("application/cloudevents")) {
            throw unreadable(
                    "invalid_cloudevent",
                    "content type '" + mediaType + "' is not part of the Kafka binding; send " + STRUCTURED
                            + " or binary mode");
        }
        if (record.headers().lastHeader(ATTRIBUTE_PREFIX + "specversion") != null) {
            return binary(record, contentType, mediaType);
        }
        throw unreadable(
                "invalid_cloudevent",
                "neither binary mode (no ce_specversion header) nor structured mode (content-type is not " + STRUCTURED
                        + ")");
    }

    private SourceRecordMapper.Read structured(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw unreadable("invalid_cloudevent", "a structured-mode record carries the event in its value");
        }
        JsonNode root = json(record.value());
        if (!root.isObject()) {
            throw unreadable("invalid_cloudevent", "a structured-mode event is a JSON object");
        }
        ObjectNode event = (ObjectNode) root;
        checkAttributes(event, "");
        if (event.has("data_base64")) {
            throw unreadable(
                    "invalid_cloudevent", "'data_base64' (binary data) is not supported; send JSON or text data");
        }
        return new SourceRecordMapper.Read(event, event.deepCopy());
    }

    private SourceRecordMapper.Read binary(
            ConsumerRecord<String, byte[]> record, String contentType, String mediaType) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (Header header : record.headers()) {
            String name = header.key();
            if (name.startsWith(ATTRIBUTE_PREFIX) && header.value() != null) {
                String attribute = name.substring(ATTRIBUTE_PREFIX.length());
                if (attribute.equals("data")) {
                    throw unreadable(
                            "invalid_cloudevent",
                            "header 'ce_data' is not an attribute; in binary mode the data is the value");
                }
                event.put(attribute, new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        checkAttributes(event, ATTRIBUTE_PREFIX);
        if (contentType != null) {
            event.put("datacontenttype", contentType);
        }
        JsonNode declared = event.get("datacontenttype");
        JsonNode data = record.value() == null
                ? null
                : data(record.value(), declared == null ? mediaType : mediaType(declared.asString()));
        if (data != null) {
            event.set("data", data);
        }
        return new SourceRecordMapper.Read(event, data);
    }

    private static void checkAttributes(ObjectNode event, String prefix) {
        JsonNode version = event.get("specversion");
        if (version == null || !version.isString() || !SPEC_VERSION.equals(version.stringValue())) {
            throw unreadable("invalid_cloudevent", "'" + prefix + "specversion' must be \"" + SPEC_VERSION + "\"");
        }
        for (String attribute : REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || !value.isString() || value.stringValue().isBlank()) {
                throw unreadable("invalid_cloudevent", "'" + prefix + attribute + "' is required (a non-empty string)");
            }
        }
    }

    private JsonNode data(byte[] value, String mediaType) {
        if (mediaType == null || isJson(mediaType)) {
            return json(value);
        }
        if (mediaType.startsWith("text/") || mediaType.equals("application/xml")) {
            return StringNode.valueOf(new String(value, StandardCharsets.UTF_8));
        }
        throw unreadable(
                "invalid_cloudevent", "data of content type '" + mediaType + "' is not supported; send JSON or text");
    }

    private JsonNode json(byte[] value) {
        try {
            return parser.readJson(value);
        } catch (InvalidEventException e) {
            throw unreadable(e.code(), e.getMessage());
        }
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.equals("text/json") || mediaType.endsWith("+json");
    }

    /** The media type without its parameters, lower case: {@code application/json; charset=utf-8} → … */
    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
