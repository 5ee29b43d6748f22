package io.campanello.ingest.source;

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

class SourceRecordMapperTest {

    private static final SourceDefinition ERP_JSON = source(
            SourceFormat.JSON,
            Map.of(
                    "type",
                    "header:event-type",
                    "id",
                    "/orderId",
                    "subject",
                    "key",
                    "time",
                    "/changedAt",
                    "source",
                    "constant:/erp"));

    @Test
    void readsTodaysJsonShapeUnchanged() throws Exception {
        EventEnvelope event = event(
                source(SourceFormat.CAMPANELLO_JSON, Map.of()),
                record(7, "k", "{\"type\": \"order.created\", \"subject\": \"order-1\", \"data\": {\"n\": 1}}"));

        assertThat(event.getTenant()).isEqualTo("acme");
        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getSubject()).isEqualTo("order-1");
        assertThat(event.getData()).isEqualTo("{\"n\":1}");
    }

    @Test
    void mapsAPlainJsonRecordFromItsKeyHeadersAndValue() throws Exception {
        EventEnvelope event = event(
                ERP_JSON,
                record(
                        3,
                        "order-42",
                        "{\"orderId\": 42, \"changedAt\": \"2026-11-28T10:00:00Z\", \"total\": 9.5}",
                        "event-type",
                        "order.updated"));

        assertThat(event.getType()).isEqualTo("order.updated");
        assertThat(event.getSubject()).isEqualTo("order-42");
        assertThat(event.getSource()).isEqualTo("/erp");
        assertThat(event.getProducerId()).as("a number becomes its text").isEqualTo("42");
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(event.getData())
                .as("the whole value is the data by default")
                .isEqualTo("{\"orderId\":42,\"changedAt\":\"2026-11-28T10:00:00Z\",\"total\":9.5}");
    }

    @Test
    void aRecordSentAgainWithTheSameMappedIdIsTheSameEvent() throws Exception {
        String value = "{\"orderId\": 42, \"changedAt\": \"2026-11-28T10:00:00Z\"}";
        EventEnvelope first = event(ERP_JSON, record(3, "order-42", value, "event-type", "order.updated"));
        EventEnvelope again = event(ERP_JSON, record(9, "order-42", value, "event-type", "order.updated"));

        assertThat(again.getId()).isEqualTo(first.getId());
    }

    @Test
    void aMappingOverridesWhatTheEventSays() throws Exception {
        EventEnvelope event = event(
                source(SourceFormat.CAMPANELLO_JSON, Map.of("subject", "key", "id", "header:message-id")),
                record(1, "order-7", "{\"type\": \"order.created\", \"subject\": \"x\"}", "message-id", "M-7"));

        assertThat(event.getSubject()).isEqualTo("order-7");
        assertThat(event.getProducerId()).isEqualTo("M-7");
    }

    @Test
    void aRecordWithoutAMappedHeaderIsUnmappableAndSaysWhy() {
        assertThatThrownBy(() -> event(ERP_JSON, record(1, "order-1", "{\"orderId\": 1, \"changedAt\": \"x\"}")))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessage(
                        "unmappable_record: 'type' is mapped to header 'event-type', which the record does not have");
    }

    @Test
    void aRecordWithoutAMappedFieldOrKeyIsUnmappable() {
        assertThatThrownBy(() -> event(ERP_JSON, record(1, "order-1", "{\"changedAt\": \"x\"}", "event-type", "t")))
                .hasMessage(
                        "unmappable_record: 'id' is mapped to '/orderId' in the value, which the record does not have");
        assertThatThrownBy(() ->
                        event(ERP_JSON, record(1, null, "{\"orderId\": 1, \"changedAt\": \"x\"}", "event-type", "t")))
                .hasMessage("unmappable_record: 'subject' is mapped to the record key, which the record does not have");
    }

    @Test
    void anObjectWhereAnAttributeIsExpectedIsUnmappable() {
        assertThatThrownBy(() -> event(
                        ERP_JSON, record(1, "k", "{\"orderId\": {\"a\": 1}, \"changedAt\": \"x\"}", "event-type", "t")))
                .hasMessage("unmappable_record: 'id' is mapped to '/orderId' in the value, which is not a string,"
                        + " number or boolean");
    }

    @Test
    void aMappedValueTheEventCannotTakeIsAnInvalidEvent() {
        assertThatThrownBy(() -> event(
                        ERP_JSON, record(1, "k", "{\"orderId\": 1, \"changedAt\": \"yesterday\"}", "event-type", "t")))
                .hasMessage("'time' must be an RFC 3339 timestamp");
    }

    @Test
    void aRecordWithoutValueOrWithoutJsonIsNoEvent() {
        assertThatThrownBy(() -> event(ERP_JSON, record(1, "k", null, "event-type", "t")))
                .hasMessage("invalid_event: a record without value is not an event");
        assertThatThrownBy(() -> event(ERP_JSON, record(1, "k", "not json", "event-type", "t")))
                .hasMessageStartingWith("invalid_json: the body is not valid JSON");
        assertThatThrownBy(() -> event(source(SourceFormat.CAMPANELLO_JSON, Map.of()), record(1, "k", "[1]")))
                .hasMessage("invalid_event: an event is a JSON object");
    }
}
