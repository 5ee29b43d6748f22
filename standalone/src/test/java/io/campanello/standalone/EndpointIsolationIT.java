package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What subscribers of one endpoint never feel from another: a hanging endpoint does not delay a healthy one; a
 * failing endpoint's circuit opens and a probe closes it; {@code Retry-After} is honoured; {@code 410 Gone} disables
 * the subscription and its owner is told — on a real broker, with real HTTP receivers.
 */
class EndpointIsolationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir,
                List.of(
                        // Attempts enough for deliveries to keep meeting an open circuit for several cool-downs.
                        "--campanello.kafka.retry-delays=1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
                        "--campanello.dispatcher.circuit.failures=3",
                        "--campanello.dispatcher.circuit.cool-down=2s",
                        // The hanging calls need not be waited for when the test ends.
                        "--campanello.dispatcher.shutdown-timeout=2s")));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        standalone.close();
        receiver.close();
    }

    @Test
    void aHangingEndpointDoesNotDelayAHealthyOne() {
        String type = uniqueType();
        subscribe("/hanging", List.of(type), ", \"timeoutMillis\": 20000");
        subscribe("/healthy", List.of(type), "");
        receiver.hang("/hanging");

        for (int i = 0; i < 40; i++) {
            send(type);
        }

        // One by one, the 40 hanging calls would hold the healthy endpoint's deliveries for 40 × 20 s.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> receiver.received("/healthy").size() == 40);
        assertThat(receiver.received("/hanging").size())
                .as("calls to the hanging endpoint are in flight side by side, none has ended")
                .isGreaterThan(1);
    }

    @Test
    void aFailingEndpointsCircuitOpensAndAProbeClosesIt() {
        String type = uniqueType();
        String subscriptionId = subscribe("/down", List.of(type), "").get("id").stringValue();
        receiver.on("/down", 500, Map.of());

        for (int i = 0; i < 10; i++) {
            send(type);
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.answered("/down").size() >= 3);
        // Three failures in the first second open the circuit; what comes later is a probe.
        long openedAt = receiver.answered("/down").get(0).atNanos()
                + Duration.ofSeconds(1).toNanos();
        assertThat(receiver.answered("/down").stream().filter(call -> call.atNanos() - openedAt < 0))
                .hasSizeGreaterThanOrEqualTo(3);
        // Deliveries wait for the probes on the retry path, for three cool-downs and more.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.answered("/down").stream()
                        .anyMatch(call -> call.atNanos() - openedAt
                                > Duration.ofSeconds(7).toNanos()));
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - openedAt).toMillis();
        long callsWhileOpen = receiver.answered("/down").stream()
                .filter(call -> call.atNanos() - openedAt > 0)
                .count();

        receiver.on("/down", 204, Map.of());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.answered("/down").stream()
                                .filter(call -> call.answeredWith() == 204)
                                .map(call -> call.header("webhook-id"))
                                .distinct()
                                .count()
                        == 10);
        assertThat(callsWhileOpen)
                .as("while open, the endpoint gets at most one probe per cool-down (2 s) in %d ms", elapsedMillis)
                .isLessThanOrEqualTo(elapsedMillis / 2000 + 1);
        assertThat(attemptsOf(subscriptionId, receiver.answered("/down").size()))
                .as("waiting for a probe is no attempt: every attempt on record is a request")
                .allSatisfy(attempt -> assertThat(attempt.getStatus()).isNotNull());
    }

    /** The subscription's attempt records, read until there are at least {@code count}. */
    private static List<DeliveryAttempt> attemptsOf(String subscriptionId, int count) {
        AvroDeserializer avro = new AvroDeserializer();
        List<DeliveryAttempt> attempts = new ArrayList<>();
        TopicRecords.readUntil(settings.kafkaPort(), Topics.ATTEMPTS, read -> {
            attempts.clear();
            read.stream()
                    .map(record -> avro.deserialize(Topics.ATTEMPTS, record.value(), DeliveryAttempt.class))
                    .filter(attempt -> attempt.getSubscriptionId().equals(subscriptionId))
                    .forEach(attempts::add);
            return attempts.size() >= count;
        });
        return attempts;
    }

    @Test
    void retryAfterIsHonoured() {
        String type = uniqueType();
        subscribe("/busy", List.of(type), "");
        receiver.on("/busy", 503, Map.of("retry-after", "2"));

        send(type);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !receiver.received("/busy").isEmpty());
        receiver.on("/busy", 204, Map.of());

        await().atMost(Duration.ofSeconds(15))
                .until(() -> receiver.received("/busy").size() == 2);
        List<TestReceiver.Received> calls = receiver.received("/busy");
        assertThat(Duration.ofNanos(calls.get(1).atNanos() - calls.get(0).atNanos()))
                .as("the receiver asked for 2 s; the tier's own delay is 1 s")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void goneDisablesTheSubscriptionAndTellsItsOwner() {
        String type = uniqueType();
        String subscriptionId = subscribe("/gone", List.of(type), "").get("id").stringValue();
        subscribe("/operations", List.of("campanello.subscription.*"), "");
        receiver.on("/gone", 410, Map.of());

        send(type);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DISABLED"
                        .equals(api.get(subscriptionsUrl() + "/" + subscriptionId)
                                .body()
                                .get("status")
                                .stringValue()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.received("/operations").stream()
                        .map(call -> JSON.readTree(call.body()))
                        .anyMatch(event -> event.get("type").stringValue().equals("campanello.subscription.disabled")
                                && event.get("data")
                                        .get("subscriptionId")
                                        .stringValue()
                                        .equals(subscriptionId)
                                && event.get("data").get("reason").stringValue().equals("gone")));
    }

    private static String uniqueType() {
        return "stock.changed." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String subscriptionsUrl() {
        return "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
    }

    private static JsonNode subscribe(String path, List<String> types, String options) {
        String typeList = String.join("\", \"", types);
        Api.Response created = api.post(
                subscriptionsUrl(),
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + typeList + "\"], \"activate\": true"
                        + options + "}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body();
    }

    private static void send(String type) {
        Api.Response accepted = api.post(
                "http://localhost:" + settings.ingestPort() + "/v1/events",
                "{\"type\": \"" + type + "\", \"subject\": \"item-" + UUID.randomUUID() + "\"}");
        assertThat(accepted.status()).isEqualTo(202);
    }
}
