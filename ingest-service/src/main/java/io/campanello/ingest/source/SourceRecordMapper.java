package io.campanello.ingest.source;

import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.kafka.UnreadableRecordException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Turns a source record into an event in Campanello's JSON shape, as its source's format and mapping say; the
 * parser then checks it as it checks an event posted over HTTP. A record that cannot be mapped is unreadable, with
 * a reason starting with its code: {@code invalid_event}, {@code invalid_json}, {@code invalid_cloudevent} or
 * {@code unmappable_record}.
 */
final class SourceRecordMapper {

    private final SourceDefinition source;
    private final EventParser parser;
    private final CloudEventsBinding cloudEvents;
    private final ConfluentAvro avro;
    private final DebeziumRecords debezium;

    SourceRecordMapper(SourceDefinition source, EventParser parser) {
        this(source, parser, null);
    }

    /** @param avro the reader of Avro values, null when no source is of format avro */
    SourceRecordMapper(SourceDefinition source, EventParser parser, ConfluentAvro avro) {
        this.source = source;
        this.parser = parser;
        this.cloudEvents = new CloudEventsBinding(parser);
        this.avro = avro;
        this.debezium = new DebeziumRecords(parser, source.mapping());
    }

    /** The event of a record and the record's value as JSON, which the mapping's pointers read. */
    record Read(ObjectNode event, JsonNode value) {}

    /** The event, or null when the record is none by its format's rules (a Debezium tombstone or snapshot read). */
    ObjectNode map(ConsumerRecord<String, byte[]> record) {
        Read read = read(record);
        if (read == null) {
            return null;
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        source.mapping().forEach((attribute, location) -> {
            JsonNode node = location.find(record, read.value());
            if (node == null) {
                throw unreadable(
                        "unmappable_record",
                        "'" + attribute + "' is mapped to " + location.describe() + ", which the record does not have");
            }
            if (!attribute.equals("data") && !node.isValueNode()) {
                throw unreadable(
                        "unmappable_record",
                        "'" + attribute + "' is mapped to " + location.describe()
                                + ", which is not a string, number or boolean");
            }
            found.put(
                    attribute,
                    attribute.equals("data") || node.isString() ? node : StringNode.valueOf(node.asString()));
        });
        found.forEach(read.event()::set);
        return read.event();
    }

    private Read read(ConsumerRecord<String, byte[]> record) {
        switch (source.format()) {
            case CAMPANELLO_JSON:
                JsonNode event = json(requiredValue(record));
                if (!event.isObject()) {
                    throw unreadable("invalid_event", "an event is a JSON object");
                }
                // The mapping may read the value into the event itself ('data: value'): it reads a copy.
                return new Read((ObjectNode) event, source.mapping().isEmpty() ? event : event.deepCopy());
            case JSON:
                return new Read(JsonNodeFactory.instance.objectNode(), json(requiredValue(record)));
            case CLOUDEVENTS:
                return cloudEvents.read(record);
            case AVRO:
                return avro.read(record);
            case DEBEZIUM_OUTBOX:
                return debezium.outbox(record);
            case DEBEZIUM_CHANGE:
                return debezium.change(record);
            default:
                throw new IllegalStateException("unknown format " + source.format());
        }
    }

    private static byte[] requiredValue(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw unreadable("invalid_event", "a record without value is not an event");
        }
        return record.value();
    }

    private JsonNode json(byte[] value) {
        try {
            return parser.readJson(value);
        } catch (InvalidEventException e) {
            throw unreadable(e.code(), e.getMessage());
        }
    }

    /** A record no retry makes readable; the reason starts with its code, as the HTTP API would answer. */
    static UnreadableRecordException unreadable(String code, String message) {
        return new UnreadableRecordException(code + ": " + message);
    }
}
