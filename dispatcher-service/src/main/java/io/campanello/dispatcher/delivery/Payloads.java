package io.campanello.dispatcher.delivery;

import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.PayloadFormat;
import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a delivery, in the subscription's format: {@code JSON} — the event in CloudEvents' structured JSON
 * form; {@code THIN} — only its id, type, source, subject and time, for receivers that fetch the details from the
 * source system's API; {@code XML} — the same content as JSON, as XML that is well-formed whatever the event holds
 * ({@link XmlPayload}). A body that cannot be written at all is an {@link UnbuildablePayloadException}.
 */
@Component
class Payloads {

    private static final int REMEMBERED = 512;

    /** The envelope's own attributes: an extension never repeats one. */
    private static final Set<String> ENVELOPE =
            Set.of("specversion", "id", "type", "source", "subject", "time", "datacontenttype", "data");

    /** A body and its content type. */
    record Body(byte[] bytes, String contentType) {}

    private final ObjectMapper json;
    private final Map<Written, Remembered> recent = Collections.synchronizedMap(new LinkedHashMap<>(512, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Written, Remembered> eldest) {
            return size() > REMEMBERED;
        }
    });

    Payloads(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The body of an event in a format. An event delivered to many subscriptions is written once per format: the
     * last few hundred bodies are remembered (a hit must be the very same event, not only the same id).
     */
    Body of(EventEnvelope event, PayloadFormat format) {
        Written key = new Written(event.getId(), format);
        Remembered remembered = recent.get(key);
        if (remembered != null && remembered.event().equals(event)) {
            return remembered.body();
        }
        Body body = write(event, format);
        recent.put(key, new Remembered(event, body));
        return body;
    }

    private record Written(String eventId, PayloadFormat format) {}

    private record Remembered(EventEnvelope event, Body body) {}

    private Body write(EventEnvelope event, PayloadFormat format) {
        try {
            return written(event, format);
        } catch (JacksonException e) {
            // Not the parser's message: it may quote the event's data.
            throw new UnbuildablePayloadException("the event cannot be written as " + format + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private Body written(EventEnvelope event, PayloadFormat format) {
        switch (format) {
            case THIN:
                return new Body(json.writeValueAsBytes(attributes(event)), "application/json");
            case XML:
                return new Body(XmlPayload.write(full(event)), "application/xml");
            case JSON:
            default:
                return new Body(structured(event), "application/json");
        }
    }

    /**
     * The event in CloudEvents' structured JSON, written in one pass: its data is copied token by token from its JSON
     * text (checked on the way) rather than parsed into a tree and written again.
     */
    private byte[] structured(EventEnvelope event) {
        String data = event.getData();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (data == null ? 0 : data.length()));
        try (JsonGenerator body = json.createGenerator(out)) {
            body.writeStartObject();
            body.writeStringProperty("specversion", "1.0");
            body.writeStringProperty("id", event.getId());
            body.writeStringProperty("type", event.getType());
            body.writeStringProperty("source", event.getSource() != null ? event.getSource() : "campanello");
            if (event.getSubject() != null) {
                body.writeStringProperty("subject", event.getSubject());
            }
            body.writeStringProperty("time", DateTimeFormatter.ISO_INSTANT.format(event.getTime()));
            for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
                if (!ENVELOPE.contains(attribute.getKey())) {
                    body.writeStringProperty(attribute.getKey(), attribute.getValue());
                }
            }
            if (data != null) {
                body.writeStringProperty(
                        "datacontenttype",
                        event.getDataContentType() != null ? event.getDataContentType() : "application/json");
                body.writeName("data");
                try (JsonParser value = json.createParser(data)) {
                    if (value.nextToken() == null) {
                        throw new UnbuildablePayloadException(
                                "the event cannot be written as JSON (its data is empty)");
                    }
                    body.copyCurrentStructureExact(value);
                    if (value.nextToken() != null) {
                        throw new UnbuildablePayloadException(
                                "the event cannot be written as JSON (its data holds more than one value)");
                    }
                }
            }
            body.writeEndObject();
        }
        return out.toByteArray();
    }

    private ObjectNode attributes(EventEnvelope event) {
        ObjectNode body = json.createObjectNode();
        body.put("specversion", "1.0");
        body.put("id", event.getId());
        body.put("type", event.getType());
        body.put("source", event.getSource() != null ? event.getSource() : "campanello");
        if (event.getSubject() != null) {
            body.put("subject", event.getSubject());
        }
        body.put("time", DateTimeFormatter.ISO_INSTANT.format(event.getTime()));
        return body;
    }

    private ObjectNode full(EventEnvelope event) {
        ObjectNode body = attributes(event);
        for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
            body.put(attribute.getKey(), attribute.getValue());
        }
        if (event.getData() != null) {
            body.put(
                    "datacontenttype",
                    event.getDataContentType() != null ? event.getDataContentType() : "application/json");
            body.set("data", json.readTree(event.getData()));
        }
        return body;
    }
}
