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

class CloudEventsBindingTest {

    private static final SourceDefinition CLOUDEVENTS = source(SourceFormat.CLOUDEVENTS, Map.of());

    private static final String[] BINARY = {
        "ce_specversion", "1.0",
        "ce_id", "A-1",
        "ce_source", "/shop",
        "ce_type", "order.created",
        "ce_subject", "order-42",
        "ce_time", "2026-11-28T10:00:00+01:00",
        "ce_region", "eu",
        "content-type", "application/json"
    };

    private static final String STRUCTURED = "{\"specversion\": \"1.0\", \"id\": \"A-1\", \"source\": \"/shop\","
            + " \"type\": \"order.created\", \"subject\": \"order-42\", \"time\": \"2026-11-28T10:00:00+01:00\","
            + " \"region\": \"eu\", \"datacontenttype\": \"application/json\", \"data\": {\"total\": 9.5}}";

    @Test
    void readsABinaryModeEventFromItsHeadersAndValue() throws Exception {
        EventEnvelope event = event(CLOUDEVENTS, record(1, "order-42", "{\"total\": 9.5}", BINARY));

        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getSource()).isEqualTo("/shop");
        assertThat(event.getProducerId()).isEqualTo("A-1");
        assertThat(event.getSubject()).isEqualTo("order-42");
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getData()).isEqualTo("{\"total\":9.5}");
        assertThat(event.getAttributes()).containsEntry("region", "eu");
    }

    @Test
    void readsAStructuredModeEventFromItsValue() throws Exception {
        EventEnvelope event = event(
                CLOUDEVENTS,
                record(1, "order-42", STRUCTURED, "content-type", "application/cloudevents+json; charset=UTF-8"));

        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getSource()).isEqualTo("/shop");
        assertThat(event.getSubject()).isEqualTo("order-42");
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThat(event.getData()).isEqualTo("{\"total\":9.5}");
        assertThat(event.getAttributes()).containsEntry("region", "eu");
    }

    @Test
    void theSameEventInEitherModeAtAnyOffsetHasOneId() throws Exception {
        EventEnvelope binary = event(CLOUDEVENTS, record(1, "k", "{\"total\": 9.5}", BINARY));
        EventEnvelope structured =
                event(CLOUDEVENTS, record(8, "k", STRUCTURED, "content-type", "application/cloudevents+json"));
        EventEnvelope otherSource =
                event(CLOUDEVENTS, record(1, "k", "{\"total\": 9.5}", replace(BINARY, "ce_source", "/erp")));

        assertThat(structured.getId()).isEqualTo(binary.getId());
        assertThat(otherSource.getId()).as("source and id name an event").isNotEqualTo(binary.getId());
    }

    @Test
    void keepsTextDataAsTextAndAnEventWithoutValueHasNoData() throws Exception {
        EventEnvelope text =
                event(CLOUDEVENTS, record(1, "k", "<order/>", replace(BINARY, "content-type", "application/xml")));
        EventEnvelope none = event(CLOUDEVENTS, record(2, "k", null, BINARY));

        assertThat(text.getData()).isEqualTo("\"<order/>\"");
        assertThat(none.getData()).isNull();
    }

    @Test
    void aMappingAppliesOverTheBinding() throws Exception {
        EventEnvelope event = event(
                source(SourceFormat.CLOUDEVENTS, Map.of("subject", "/order/number")),
                record(1, "k", "{\"order\": {\"number\": \"N-9\"}}", BINARY));

        assertThat(event.getSubject()).isEqualTo("N-9");
    }

    @Test
    void aRecordInNeitherModeIsNoCloudEvent() {
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "{}", "content-type", "application/json")))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessage("invalid_cloudevent: neither binary mode (no ce_specversion header) nor structured mode"
                        + " (content-type is not application/cloudevents+json)");
        assertThatThrownBy(() ->
                        event(CLOUDEVENTS, record(1, "k", "[]", "content-type", "application/cloudevents-batch+json")))
                .hasMessageStartingWith("invalid_cloudevent: content type 'application/cloudevents-batch+json' is not"
                        + " part of the Kafka binding");
    }

    @Test
    void aBinaryEventWithoutARequiredAttributeOrOfAnotherVersionSaysWhich() {
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "{}", replace(BINARY, "ce_id", ""))))
                .hasMessage("invalid_cloudevent: 'ce_id' is required (a non-empty string)");
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "{}", replace(BINARY, "ce_specversion", "0.3"))))
                .hasMessage("invalid_cloudevent: 'ce_specversion' must be \"1.0\"");
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "{}", replace(BINARY, "ce_region", "x", "ce_data"))))
                .hasMessageStartingWith("invalid_cloudevent: header 'ce_data' is not an attribute");
    }

    @Test
    void binaryDataThatIsNeitherJsonNorTextIsRefused() {
        assertThatThrownBy(() -> event(
                        CLOUDEVENTS, record(1, "k", "x", replace(BINARY, "content-type", "application/octet-stream"))))
                .hasMessage("invalid_cloudevent: data of content type 'application/octet-stream' is not supported;"
                        + " send JSON or text");
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "{oops", BINARY)))
                .hasMessageStartingWith("invalid_json: the body is not valid JSON");
    }

    @Test
    void aStructuredEventThatIsIncompleteOrNotJsonSaysWhy() {
        String structured = "content-type";
        String type = "application/cloudevents+json";
        assertThatThrownBy(() -> event(
                        CLOUDEVENTS, record(1, "k", STRUCTURED.replace("\"source\"", "\"origin\""), structured, type)))
                .hasMessage("invalid_cloudevent: 'source' is required (a non-empty string)");
        assertThatThrownBy(() -> event(
                        CLOUDEVENTS,
                        record(
                                1,
                                "k",
                                STRUCTURED
                                        .replace("\"data\"", "\"data_base64\"")
                                        .replace("{\"total\": 9.5}", "\"AAE=\""),
                                structured,
                                type)))
                .hasMessage("invalid_cloudevent: 'data_base64' (binary data) is not supported; send JSON or text data");
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", "not json", structured, type)))
                .hasMessageStartingWith("invalid_json: the body is not valid JSON");
        assertThatThrownBy(() -> event(CLOUDEVENTS, record(1, "k", null, structured, type)))
                .hasMessage("invalid_cloudevent: a structured-mode record carries the event in its value");
    }

    /** The binary headers with one header's value replaced (or, given a new name, renamed). */
    private static String[] replace(String[] headers, String name, String value, String... newName) {
        String[] copy = headers.clone();
        for (int i = 0; i < copy.length; i += 2) {
            if (copy[i].equals(name)) {
                copy[i + 1] = value;
                if (newName.length > 0) {
                    copy[i] = newName[0];
                }
            }
        }
        return copy;
    }
}
