package io.campanello.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class EventParserTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final EventParser parser = new EventParser(JsonMapper.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC));

    private EventEnvelope parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), "acme");
    }

    @Test
    void readsCloudEventsAttributesAndKeepsExtensions() throws Exception {
        EventEnvelope event = parse("{\"specversion\": \"1.0\", \"id\": \"A-1\", \"type\": \"order.created\","
                + " \"source\": \"/erp\", \"subject\": \"order-42\", \"time\": \"2026-11-23T10:00:00+01:00\","
                + " \"datacontenttype\": \"application/json\", \"region\": \"eu\", \"priority\": 3,"
                + " \"data\": {\"amount\": 150, \"items\": [1, 2]}}");

        assertThat(event.getId()).startsWith("evt_");
        assertThat(event.getTenant()).isEqualTo("acme");
        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getProducerId()).isEqualTo("A-1");
        assertThat(event.getSource()).isEqualTo("/erp");
        assertThat(event.getSubject()).isEqualTo("order-42");
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(event.getReceivedAt()).isEqualTo(NOW);
        assertThat(event.getData()).isEqualTo("{\"amount\":150,\"items\":[1,2]}");
        assertThat(event.getAttributes()).containsEntry("region", "eu").containsEntry("priority", "3");
    }

    @Test
    void anEventNamedByItsProducerHasOneIdHoweverOftenItIsSent() throws Exception {
        String event = "{\"id\": \"A-1\", \"source\": \"/erp\", \"type\": \"order.created\"}";

        assertThat(parse(event).getId()).isEqualTo(parse(event).getId()).startsWith("evt_");
        assertThat(parse(event).getId())
                .isNotEqualTo(parse(event.replace("/erp", "/shop")).getId())
                .isNotEqualTo(parse(event.replace("A-1", "A-2")).getId())
                .isNotEqualTo(parser.parse(event.getBytes(StandardCharsets.UTF_8), "globex")
                        .getId());
    }

    @Test
    void anIdempotencyKeyNamesTheEventWithinItsTenantAndSubjectWhateverTheBody() throws Exception {
        IdempotencyKey key = IdempotencyKey.parse("8e03978e-40d5-43e8-bc93-6894a57f9324");
        String first = "{\"type\": \"order.created\", \"subject\": \"order-1\", \"data\": {\"n\": 1}}";
        String changed = "{\"id\": \"X\", \"type\": \"order.paid\", \"subject\": \"order-1\", \"data\": {\"n\": 2}}";

        String id = parser.parse(bytes(first), "acme", key).getId();

        assertThat(parser.parse(bytes(first), "acme", key).getId())
                .isEqualTo(id)
                .startsWith("evt_");
        assertThat(parser.parse(bytes(changed), "acme", key).getId())
                .as("the key names the event, not the body")
                .isEqualTo(id);
        assertThat(parser.parse(bytes(first), "globex", key).getId()).isNotEqualTo(id);
        assertThat(parser.parse(bytes(first.replace("order-1", "order-2")), "acme", key)
                        .getId())
                .as("another subject: another partition of webhooks.events, so another event")
                .isNotEqualTo(id);
        assertThat(parser.parse(bytes(first), "acme", IdempotencyKey.parse("other"))
                        .getId())
                .isNotEqualTo(id);
    }

    @Test
    void theSameProducerIdWithAnotherSubjectIsAnotherEvent() throws Exception {
        String event = "{\"id\": \"A-1\", \"source\": \"/erp\", \"type\": \"order.created\", \"subject\": \"o-1\"}";

        assertThat(parse(event).getId())
                .isEqualTo(parse(event).getId())
                .isNotEqualTo(parse(event.replace("o-1", "o-2")).getId())
                .isNotEqualTo(parse(event.replace(", \"subject\": \"o-1\"", "")).getId());
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnnamedEventTakesTheIdItIsGivenOrARandomOne() throws Exception {
        byte[] event = "{\"type\": \"order.created\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(event, "acme", "evt_000000000000000000000001").getId())
                .isEqualTo("evt_000000000000000000000001");
        assertThat(parse("{\"type\": \"order.created\"}").getId())
                .isNotEqualTo(parse("{\"type\": \"order.created\"}").getId());
    }

    @Test
    void needsOnlyAType() throws Exception {
        EventEnvelope event = parse("{\"type\": \"ping\"}");

        assertThat(event.getTime()).isEqualTo(NOW);
        assertThat(event.getSubject()).isNull();
        assertThat(event.getData()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``                                  | invalid_json  | the body is empty",
                "{\"type\":                           | invalid_json  | the body is not valid JSON at line 1",
                "[]                                  | invalid_event | an event is a JSON object",
                "{\"subject\": \"x\"}                | invalid_event | 'type' is required",
                "{\"type\": \"\"}                    | invalid_event | 'type' must be a non-empty string",
                "{\"type\": 7}                       | invalid_event | 'type' must be a non-empty string",
                "{\"type\": \"a\", \"subject\": 1}   | invalid_event | 'subject' must be a string",
                "{\"type\": \"a\", \"time\": \"now\"} | invalid_event | 'time' must be an RFC 3339 timestamp",
                "{\"type\": \"a\", \"Bad-Name\": 1}  | invalid_event | unknown attribute 'Bad-Name'",
                "{\"type\": \"a\", \"nested\": {}}   | invalid_event | unknown attribute 'nested'",
                "{\"type\": \"campanello.subscription.disabled\"} | reserved_type | types starting with"
            })
    void refusesWhatIsNotAnEventWithAReason(String json, String code, String reason) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(
                        InvalidEventException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageStartingWith(reason);
    }

    @Test
    void neverEchoesThePayloadInAnError() {
        assertThatThrownBy(() -> parse("{\"type\": \"a\", \"card\": \"4111111111111111\" "))
                .isInstanceOf(InvalidEventException.class)
                .message()
                .doesNotContain("4111");
    }
}
