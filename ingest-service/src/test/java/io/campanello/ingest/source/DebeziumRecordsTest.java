package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecords.PARSER;
import static io.campanello.ingest.source.SourceRecords.event;
import static io.campanello.ingest.source.SourceRecords.record;
import static io.campanello.ingest.source.SourceRecords.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebeziumRecordsTest {

    private static final SourceDefinition OUTBOX = source(SourceFormat.DEBEZIUM_OUTBOX, Map.of());
    private static final SourceDefinition CHANGES = source(SourceFormat.DEBEZIUM_CHANGE, Map.of());

    private static final String ORDER_ROW = "{\"id\": 42, \"customer\": \"ACME\", \"total\": 9.5}";
    private static final String SOURCE = "\"source\": {\"name\": \"erp\", \"db\": \"erp\", \"schema\": \"public\","
            + " \"table\": \"orders\", \"lsn\": 24023128, \"ts_ms\": 1795860000000}";

    @Test
    void anOutboxRecordTakesIdAndTypeFromHeadersPayloadAsDataAndAggregateIdAsSubject() throws Exception {
        EventEnvelope event = event(
                OUTBOX,
                record(
                        1,
                        "order-42",
                        "{\"orderId\": 42, \"total\": 9.5}",
                        "id",
                        "7b0c1e9a-4f55-4d8e-9a3b-2f1d8c6e0a11",
                        "type",
                        "order.created"));

        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getProducerId()).isEqualTo("7b0c1e9a-4f55-4d8e-9a3b-2f1d8c6e0a11");
        assertThat(event.getSubject()).isEqualTo("order-42");
        assertThat(event.getData()).isEqualTo("{\"orderId\":42,\"total\":9.5}");
    }

    @Test
    void readsTheOutboxPayloadFromJsonConverterOutputWithAndWithoutSchemas() throws Exception {
        String[] headers = {"id", "e-1", "type", "order.created"};
        String plain = "\"{\\\"orderId\\\": 42}\""; // a jsonb payload column, schemas.enable=false
        String enveloped =
                "{\"schema\": {\"type\": \"string\", \"optional\": true, \"name\": \"io.debezium.data.Json\"},"
                        + " \"payload\": \"{\\\"orderId\\\": 42}\"}";
        String expanded = "{\"schema\": {\"type\": \"struct\", \"fields\": []}, \"payload\": {\"orderId\": 42}}";

        for (String value : new String[] {plain, enveloped, expanded}) {
            EventEnvelope event = event(OUTBOX, record(1, "\"order-42\"", value, headers));
            assertThat(event.getData()).as(value).isEqualTo("{\"orderId\":42}");
            assertThat(event.getSubject())
                    .as("a JSON-converted key is its text")
                    .isEqualTo("order-42");
        }
        EventEnvelope enveloped_key = event(
                OUTBOX, record(1, "{\"schema\": {\"type\": \"string\"}, \"payload\": \"order-42\"}", plain, headers));
        assertThat(enveloped_key.getSubject()).isEqualTo("order-42");
    }

    @Test
    void anOutboxRecordSentTwiceIsOneEvent() throws Exception {
        EventEnvelope first = event(OUTBOX, record(1, "order-42", "{}", "id", "e-1", "type", "order.created"));
        EventEnvelope again = event(OUTBOX, record(9, "order-42", "{}", "id", "e-1", "type", "order.created"));

        assertThat(again.getId()).isEqualTo(first.getId());
    }

    @Test
    void anOutboxRecordWithoutTypeIsUnreadableUnlessTheMappingNamesIt() throws Exception {
        assertThatThrownBy(() -> event(OUTBOX, record(1, "order-42", "{}", "id", "e-1")))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("invalid_debezium_record: the outbox record has no 'type' header");

        EventEnvelope mapped = event(
                source(SourceFormat.DEBEZIUM_OUTBOX, Map.of("type", "header:eventType")),
                record(1, "order-42", "{}", "id", "e-1", "eventType", "order.paid"));
        assertThat(mapped.getType()).isEqualTo("order.paid");
    }

    @Test
    void tombstonesAreNoEvents() {
        assertThat(new SourceRecordMapper(OUTBOX, PARSER).map(record(1, "order-42", null)))
                .isNull();
        assertThat(new SourceRecordMapper(CHANGES, PARSER).map(record(2, "{\"id\": 42}", null)))
                .isNull();
    }

    @Test
    void changeEventsBecomeTableCreatedUpdatedDeletedWithTheRowAndThePrimaryKey() throws Exception {
        EventEnvelope created = event(
                CHANGES,
                record(
                        1,
                        "{\"id\": 42}",
                        "{\"op\": \"c\", \"before\": null, \"after\": " + ORDER_ROW + ", " + SOURCE + "}"));
        EventEnvelope updated = event(
                CHANGES, record(2, "{\"id\": 42}", "{\"op\": \"u\", \"after\": " + ORDER_ROW + ", " + SOURCE + "}"));
        EventEnvelope deleted = event(
                CHANGES,
                record(
                        3,
                        "{\"id\": 42}",
                        "{\"op\": \"d\", \"before\": {\"id\": 42}, \"after\": null, " + SOURCE + "}"));

        assertThat(created.getType()).isEqualTo("orders.created");
        assertThat(created.getSubject()).isEqualTo("42");
        assertThat(created.getData()).isEqualTo("{\"id\":42,\"customer\":\"ACME\",\"total\":9.5}");
        assertThat(created.getSource()).isEqualTo("/debezium/erp/erp");
        assertThat(created.getTime()).isEqualTo(Instant.ofEpochMilli(1795860000000L));
        assertThat(created.getProducerId()).isEqualTo("public.orders@24023128");
        assertThat(updated.getType()).isEqualTo("orders.updated");
        assertThat(deleted.getType()).isEqualTo("orders.deleted");
        assertThat(deleted.getData()).as("the row as it was").isEqualTo("{\"id\":42}");
    }

    @Test
    void readsChangeEventsInTheSchemaEnvelopeAndCompositeKeys() throws Exception {
        String value = "{\"schema\": {\"type\": \"struct\"}, \"payload\": {\"op\": \"c\", \"after\": " + ORDER_ROW
                + ", " + SOURCE + "}}";
        String key = "{\"schema\": {\"type\": \"struct\"}, \"payload\": {\"tenant\": \"eu\", \"id\": 42}}";

        EventEnvelope event = event(CHANGES, record(1, key, value));

        assertThat(event.getType()).isEqualTo("orders.created");
        assertThat(event.getSubject()).as("key columns in order, joined by '/'").isEqualTo("eu/42");
    }

    @Test
    void snapshotReadsAreNoEvents() {
        assertThat(new SourceRecordMapper(CHANGES, PARSER)
                        .map(record(
                                1, "{\"id\": 42}", "{\"op\": \"r\", \"after\": " + ORDER_ROW + ", " + SOURCE + "}")))
                .isNull();
    }

    @Test
    void aChangeEventWithoutOpWithoutItsRowOrWithAnUnknownOpIsUnreadable() {
        assertUnreadable("{\"after\": " + ORDER_ROW + ", " + SOURCE + "}", "the change event has no 'op'");
        assertUnreadable(
                "{\"op\": \"c\", \"after\": null, " + SOURCE + "}", "a change event with op 'c' needs 'after'");
        assertUnreadable("{\"op\": \"u\", " + SOURCE + "}", "a change event with op 'u' needs 'after'");
        assertUnreadable("{\"op\": \"d\", " + SOURCE + "}", "a change event with op 'd' needs 'before'");
        assertUnreadable("{\"op\": \"t\", " + SOURCE + "}", "op 't' is not c, u, d or r");
        assertUnreadable("{\"op\": \"c\", \"after\": " + ORDER_ROW + "}", "the change event has no 'source.table'");
        assertUnreadable("[1, 2]", "a change event is a JSON object");
    }

    @Test
    void aMappingReadsTheChangeEventItself() throws Exception {
        EventEnvelope event = event(
                source(SourceFormat.DEBEZIUM_CHANGE, Map.of("data", "/before")),
                record(
                        1,
                        "{\"id\": 42}",
                        "{\"op\": \"u\", \"before\": {\"total\": 1}, \"after\": " + ORDER_ROW + ", " + SOURCE + "}"));

        assertThat(event.getData()).isEqualTo("{\"total\":1}");
    }

    private static void assertUnreadable(String value, String message) {
        assertThatThrownBy(() -> event(CHANGES, record(1, "{\"id\": 42}", value)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("invalid_debezium_record: " + message);
    }
}
