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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An open circuit defers deliveries, it does not spend their attempts: with a schedule far shorter than the circuit's
 * cool-down (1 s, 2 s against 10 s here; 30 s by default), a failing endpoint's deliveries wait for the probes instead
 * of dying without a request, and every attempt on record is a request the endpoint received.
 */
class OpenCircuitIT {

    private static final String PATH = "/fails-every-call";

    /** Over three times the whole retry schedule (3 s), as the default 30 s is to a short one. */
    private static final Duration COOL_DOWN = Duration.ofSeconds(10);

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
                        "--campanello.kafka.retry-delays=1s,2s",
                        "--campanello.dispatcher.circuit.cool-down=" + COOL_DOWN.toSeconds() + "s")));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    @Test
    void anOpenCircuitNeverTurnsADeliveryIntoADeadLetterWithoutARequest() {
        receiver.on(PATH, 500, Map.of());
        String subscription = api.post(
                        "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url(PATH) + "\", \"eventTypes\": [\"order.*\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        for (int i = 0; i < 30; i++) {
            assertThat(api.post(
                                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                                    "{\"type\": \"order.created\", \"subject\": \"order-" + i + "\"}")
                            .status())
                    .isEqualTo(202);
        }

        // The marker: a probe after the circuit's cool-down, well after the 3 s schedule would have run out — or every
        // delivery dead already.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !receiver.answered(PATH).isEmpty());
        long first = receiver.answered(PATH).get(0).atNanos();
        List<JsonNode> deadLetters = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            deadLetters.clear();
            api.get("http://localhost:" + settings.retryPort() + "/v1/dead-letters?subscription=" + subscription)
                    .body()
                    .get("items")
                    .forEach(deadLetters::add);
            return deadLetters.size() == 30
                    || receiver.answered(PATH).stream()
                            .anyMatch(call -> call.atNanos() - first
                                    > COOL_DOWN.minusSeconds(2).toNanos());
        });

        Map<String, Long> requests = receiver.answered(PATH).stream()
                .collect(Collectors.groupingBy(call -> call.header("webhook-id"), Collectors.counting()));
        assertThat(deadLetters)
                .as("only deliveries whose every attempt was a request are dead letters")
                .allSatisfy(deadLetter -> assertThat(requests.getOrDefault(
                                deadLetter.get("deliveryId").stringValue(), 0L))
                        .isEqualTo(deadLetter.get("attempts").longValue()));
        assertThat(deadLetters.size())
                .as("30 deliveries waiting for probes, %s requests made", requests)
                .isLessThan(30);

        List<DeliveryAttempt> attempts =
                attemptsOf(subscription, receiver.answered(PATH).size());
        assertThat(attempts)
                .as("the attempt log holds requests only")
                .allSatisfy(attempt -> assertThat(attempt.getStatus()).isEqualTo(500));
        Map<String, Integer> highest = attempts.stream()
                .collect(Collectors.toMap(DeliveryAttempt::getDeliveryId, DeliveryAttempt::getAttempt, Math::max));
        assertThat(highest)
                .as("each delivery's attempt number counts its requests")
                .isEqualTo(requests.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> (int) (long) entry.getValue())));

        // Why is it failing? The health call says so while the deliveries wait.
        String health =
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions/" + subscription + "/health";
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            seen[0] = api.get(health).body();
            return seen[0].get("waiting").get("deferred").longValue() > 0;
        });
        JsonNode report = seen[0];
        assertThat(report.get("circuit").stringValue()).isIn("OPEN", "HALF_OPEN");
        assertThat(report.get("consecutiveFailures").intValue()).isGreaterThanOrEqualTo(5);
        assertThat(report.get("lastStatus").intValue()).isEqualTo(500);
        assertThat(report.get("failingSince")).isNotNull();
        assertThat(report.get("instances")).hasSize(1);
        assertThat(report.get("instances").get(0).get("waiting").get("deferred").longValue())
                .isEqualTo(report.get("waiting").get("deferred").longValue());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(health).body().get("circuit").stringValue().equals("OPEN")
                        && api.get(health).body().has("nextProbeAt"));
        Api.Response unknown =
                api.get("http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions/sub_unknown/health");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("code").stringValue()).isEqualTo("subscription_not_found");
        assertThat(api.get("http://localhost:" + settings.subscriptionsPort() + "/v3/api-docs")
                        .body()
                        .get("paths")
                        .has("/v1/subscriptions/{id}/health"))
                .as("in the API's OpenAPI description")
                .isTrue();

        receiver.on(PATH, 204, Map.of());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.answered(PATH).stream()
                                .filter(call -> call.answeredWith() == 204)
                                .map(call -> call.header("webhook-id"))
                                .distinct()
                                .count()
                        == 30 - deadLetters.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode healthy = api.get(health).body();
            return healthy.get("circuit").stringValue().equals("CLOSED")
                    && healthy.get("consecutiveFailures").intValue() == 0
                    && healthy.get("waiting").get("deferred").longValue() == 0
                    && healthy.get("waiting").get("retrying").longValue() == 0;
        });
    }

    /** The subscription's attempt records, read until there are at least {@code count}. */
    private static List<DeliveryAttempt> attemptsOf(String subscription, int count) {
        AvroDeserializer avro = new AvroDeserializer();
        Function<List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>, List<DeliveryAttempt>> of =
                read -> read.stream()
                        .map(record -> avro.deserialize(Topics.ATTEMPTS, record.value(), DeliveryAttempt.class))
                        .filter(attempt -> attempt.getSubscriptionId().equals(subscription))
                        .toList();
        return of.apply(TopicRecords.readUntil(
                settings.kafkaPort(), Topics.ATTEMPTS, read -> of.apply(read).size() >= count));
    }
}
