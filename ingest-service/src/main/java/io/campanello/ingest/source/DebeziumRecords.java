package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.ingest.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads what Debezium writes to Kafka through Connect's JSON or string converters, with or without schemas:
 *
 * <ul>
 *   <li>the outbox event router's records: the event's id and type in headers ({@code id}, {@code type}), the
 *       payload as the value (the data), the aggregate id as the key (the subject);
 *   <li>plain change events: {@code op} {@code c}, {@code u} or {@code d} with {@code before}/{@code after}, which
 *       become {@code <table>.created}, {@code .updated}, {@code .deleted} with the row as data and the primary key
 *       as subject.
 * </ul>
 *
 * A tombstone (no value: what Debezium writes after a delete so that compaction can drop the key) and a snapshot
 * read ({@code op} {@code r}: a row that already existed when the connector started) are no event: null. A record
 * that breaks these shapes is unreadable, {@code invalid_debezium_record}.
 */
final class DebeziumRecords {

    /** The outbox router's header with the event's id (the outbox row's {@code id}). */
    static final String ID_HEADER = "id";

    /** The header the router must be told to put the event's type in ({@code table.fields.additional.placement}). */
    static final String TYPE_HEADER = "type";

    private static final String INVALID = "invalid_debezium_record";
    private static final Map<String, String> OPERATIONS = Map.of("c", "created", "u", "updated", "d", "deleted");

    private final ConnectJson connect;
    private final Map<String, FieldLocation> mapping;

    DebeziumRecords(EventParser parser, Map<String, FieldLocation> mapping) {
        this.connect = new ConnectJson(parser);
        this.mapping = mapping;
    }

    /** An outbox event router's record; null for a tombstone. */
    SourceRecordMapper.Read outbox(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        putHeader(event, "id", record, ID_HEADER);
        putHeader(event, "type", record, TYPE_HEADER);
        if (!event.has("type") && !mapping.containsKey("type")) {
            throw unreadable(
                    INVALID,
                    "the outbox record has no '" + TYPE_HEADER + "' header; route the outbox's type column to it"
                            + " (table.fields.additional.placement=type:header:" + TYPE_HEADER + ")");
        }
        String subject = connect.text(record.key());
        if (subject != null && !subject.isBlank()) {
            event.put("subject", subject);
        }
        if (record.timestampType() == TimestampType.CREATE_TIME && record.timestamp() > 0) {
            event.put("time", Instant.ofEpochMilli(record.timestamp()).toString());
        }
        JsonNode payload = connect.embedded(connect.value(record.value()));
        if (!payload.isNull()) {
            event.set("data", payload);
        }
        return new SourceRecordMapper.Read(event, payload);
    }

    /** A plain change event; null for a tombstone or a snapshot read. */
    SourceRecordMapper.Read change(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        JsonNode change = connect.value(record.value());
        if (!change.isObject()) {
            throw unreadable(INVALID, "a change event is a JSON object");
        }
        JsonNode op = change.get("op");
        if (op == null || !op.isString()) {
            throw unreadable(INVALID, "the change event has no 'op'");
        }
        if (op.stringValue().equals("r")) {
            return null;
        }
        String operation = OPERATIONS.get(op.stringValue());
        if (operation == null) {
            throw unreadable(INVALID, "op '" + op.stringValue() + "' is not c, u, d or r (leave skipped.operations=t)");
        }
        String rowField = operation.equals("deleted") ? "before" : "after";
        JsonNode row = change.get(rowField);
        if (row == null || !row.isObject()) {
            throw unreadable(INVALID, "a change event with op '" + op.stringValue() + "' needs '" + rowField + "'");
        }
        JsonNode source = change.path("source");
        String table = source.path("table").asString("");
        if (table.isBlank()) {
            throw unreadable(INVALID, "the change event has no 'source.table'");
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", table + "." + operation);
        String connector = source.path("name").asString("");
        String database = source.path("db").asString("");
        event.put("source", "/debezium/" + connector + "/" + database);
        JsonNode lsn = source.get("lsn");
        if (lsn != null && lsn.isNumber()) {
            event.put("id", source.path("schema").asString("") + "." + table + "@" + lsn.asString());
        }
        String subject = primaryKey(record.key());
        if (subject != null) {
            event.put("subject", subject);
        }
        JsonNode committed = source.get("ts_ms");
        if (committed != null && committed.isIntegralNumber()) {
            event.put("time", Instant.ofEpochMilli(committed.longValue()).toString());
        }
        event.set("data", row);
        return new SourceRecordMapper.Read(event, change);
    }

    /** The key's columns' values: one column as its value, several joined by '/', in the key's order. */
    private String primaryKey(String key) {
        if (key == null) {
            return null;
        }
        JsonNode node = connect.node(key);
        if (node == null || !node.isObject()) {
            return connect.text(key);
        }
        List<String> values = new ArrayList<>();
        node.values().forEach(value -> values.add(value.isValueNode() ? value.asString() : value.toString()));
        return values.isEmpty() ? null : String.join("/", values);
    }

    private void putHeader(ObjectNode event, String attribute, ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header != null && header.value() != null) {
            String text = connect.text(new String(header.value(), StandardCharsets.UTF_8));
            if (text != null && !text.isBlank()) {
                event.put(attribute, text);
            }
        }
    }
}
