package io.campanello.ingest.event;

import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an event in CloudEvents' JSON shape ({@code type} required; {@code id}, {@code source}, {@code subject},
 * {@code time}, {@code datacontenttype}, {@code data} optional; other scalar attributes kept as extensions) into
 * an envelope. The same shape is accepted over HTTP and on source topics.
 */
@Component
public class EventParser {

    private static final Set<String> KNOWN =
            Set.of("id", "type", "source", "subject", "time", "datacontenttype", "data", "specversion", "dataschema");
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final int MAX_TYPE_LENGTH = 200;

    private final ObjectMapper json;
    private final Clock clock;

    /** Campanello's own event types (campanello.subscription.failing, …): no producer may send them. */
    public static final String RESERVED_PREFIX = "campanello.";

    public EventParser(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Parses one event for a tenant; the message of a failure never echoes the payload. */
    public EventEnvelope parse(byte[] body, String tenant) throws InvalidEventException {
        return parse(body, tenant, (String) null);
    }

    /**
     * Parses one event for a tenant. Its id is derived from the producer's {@code id} (with the tenant, {@code
     * source}, {@code type} and {@code subject}) when there is one, so that an event sent twice is one event;
     * otherwise from {@code unnamedId} (e.g. a source record's coordinates) when given, else random.
     */
    public EventEnvelope parse(byte[] body, String tenant, String unnamedId) throws InvalidEventException {
        return parse(readJson(body), tenant, unnamedId);
    }

    /**
     * Parses one event posted with an {@code Idempotency-Key}: the key (with the tenant and {@code subject}) names
     * the event, whatever the body says, so the same key sent again is the same event even if the body changed.
     */
    public EventEnvelope parse(byte[] body, String tenant, IdempotencyKey key) throws InvalidEventException {
        return parse(readJson(body), tenant, null, key);
    }

    /** Parses one event already read as JSON (e.g. assembled from a source record's headers and value). */
    public EventEnvelope parse(JsonNode root, String tenant, String unnamedId) throws InvalidEventException {
        return parse(root, tenant, unnamedId, null);
    }

    private EventEnvelope parse(JsonNode root, String tenant, String unnamedId, IdempotencyKey key)
            throws InvalidEventException {
        if (!root.isObject()) {
            throw new InvalidEventException("invalid_event", "an event is a JSON object");
        }
        String type = requiredString(root, "type");
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new InvalidEventException("invalid_event", "type is longer than " + MAX_TYPE_LENGTH + " characters");
        }
        if (type.startsWith(RESERVED_PREFIX)) {
            throw new InvalidEventException(
                    "reserved_type", "types starting with '" + RESERVED_PREFIX + "' are Campanello's own events");
        }
        Instant now = clock.instant();
        JsonNode data = root.get("data");
        String source = optionalString(root, "source");
        String producerId = optionalString(root, "id");
        String subject = optionalString(root, "subject");
        return EventEnvelope.newBuilder()
                .setId(eventId(new Names(tenant, source, type, subject, producerId, unnamedId, key)))
                .setTenant(tenant)
                .setType(type)
                .setSource(source)
                .setSubject(subject)
                .setProducerId(producerId)
                .setTime(time(root, now))
                .setReceivedAt(now)
                .setDataContentType(optionalString(root, "datacontenttype"))
                .setData(data == null || data.isNull() ? null : json.writeValueAsString(data))
                .setAttributes(extensions(root))
                .build();
    }

    /** What can name an event. */
    private record Names(
            String tenant,
            String source,
            String type,
            String subject,
            String producerId,
            String unnamedId,
            IdempotencyKey key) {

        /**
         * The tenant and the subject are in every derived id because they make the event's key on webhooks.events
         * ({@code EventWriter.key}: tenant/subject, or tenant/id without a subject): two events with one id then
         * always share a partition, where the matcher's dedupe store (one per partition) sees both. A record read
         * again from its source coordinates has the same subject anyway.
         */
        String subjectName() {
            return subject == null ? "no-subject" : "subject:" + subject;
        }
    }

    private static String eventId(Names names) {
        if (names.key() != null) {
            return Ids.eventIdOf(
                    "idempotency-key",
                    names.tenant(),
                    names.subjectName(),
                    names.key().value());
        }
        if (names.producerId() != null) {
            return Ids.eventIdOf(
                    "producer",
                    names.tenant(),
                    names.source() == null ? "" : names.source(),
                    names.type(),
                    names.producerId(),
                    names.subjectName());
        }
        return names.unnamedId() != null ? names.unnamedId() : Ids.newEventId();
    }

    /** Reads JSON; the message of a failure says where, never what. */
    public JsonNode readJson(byte[] body) throws InvalidEventException {
        if (body.length == 0) {
            throw new InvalidEventException("invalid_json", "the body is empty; an event is a JSON object");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidEventException("invalid_json", "the body is not valid JSON" + where);
        }
    }

    private static String requiredString(JsonNode root, String name) throws InvalidEventException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("invalid_event", "'" + name + "' is required");
        }
        if (!node.isString() || node.stringValue().isBlank()) {
            throw new InvalidEventException("invalid_event", "'" + name + "' must be a non-empty string");
        }
        return node.stringValue();
    }

    private static String optionalString(JsonNode root, String name) throws InvalidEventException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidEventException("invalid_event", "'" + name + "' must be a string");
        }
        return node.stringValue();
    }

    private static Instant time(JsonNode root, Instant now) throws InvalidEventException {
        String time = optionalString(root, "time");
        if (time == null) {
            return now;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid_event", "'time' must be an RFC 3339 timestamp");
        }
    }

    private static Map<String, String> extensions(JsonNode root) throws InvalidEventException {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            String name = property.getKey();
            if (KNOWN.contains(name)) {
                continue;
            }
            if (!EXTENSION_NAME.matcher(name).matches() || !property.getValue().isValueNode()) {
                throw new InvalidEventException(
                        "invalid_event",
                        "unknown attribute '" + abbreviate(name)
                                + "': extension attributes are 1-20 lowercase letters or digits with a scalar value");
            }
            if (!property.getValue().isNull()) {
                attributes.put(name, property.getValue().asString());
            }
        }
        return attributes;
    }

    private static String abbreviate(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "…";
    }
}
