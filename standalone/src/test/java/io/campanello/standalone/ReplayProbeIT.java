package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The operator at 3 a.m.: 30 deliveries died on a short schedule, the receiver is fixed, the endpoint's circuit is
 * still open (default cool-down, 30 s) — and a replay of the subscription's dead letters delivers all 30 with their
 * original webhook-ids at once, because the first replayed delivery is sent as the circuit's probe.
 */
class ReplayProbeIT {

    private static final String PATH = "/fixed-at-3am";
    private static final String SCHEDULE = "--campanello.kafka.retry-delays=1s,2s";

    @TempDir
    static Path dataDir;

    static TestStandalones.Started started;
    static TestReceiver receiver = new TestReceiver();
    static Api api = new Api(TestStandalones.API_KEY);

    @AfterAll
    static void stop() {
        receiver.close();
        if (started != null) {
            started.close();
        }
    }

    @Test
    void aReplayAfterTheFixProbesTheOpenCircuitAndDeliversAllAtOnce() throws Exception {
        // 30 dead letters, each after three real requests (circuits off while they die).
        started = TestStandalones.start(dataDir, List.of(SCHEDULE, TestStandalones.NO_CIRCUIT));
        receiver.on(PATH, 500, Map.of());
        String subscription = api.post(
                        url(started.settings().subscriptionsPort(), "/v1/subscriptions"),
                        "{\"url\": \"" + receiver.url(PATH) + "\", \"eventTypes\": [\"order.*\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        for (int i = 0; i < 30; i++) {
            send("order-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(subscription) == 30);
        Set<String> dead = receiver.answered(PATH).stream()
                .map(call -> call.header("webhook-id"))
                .collect(Collectors.toSet());
        assertThat(dead).hasSize(30);

        // The same stack with the default circuit (5 failures, 30 s): the endpoint fails again and its circuit opens.
        StandaloneSettings before = started.settings();
        started.close();
        started = TestStandalones.start(new StandaloneSettings(
                before.dataDir(),
                before.kafkaPort(),
                before.controllerPort(),
                before.ingestPort(),
                before.subscriptionsPort(),
                before.dispatcherPort(),
                before.retryPort(),
                before.historyPort(),
                before.inspectorPort(),
                before.consolePort(),
                before.apiKey(),
                false,
                List.of(SCHEDULE),
                true));
        for (int i = 0; i < 5; i++) {
            send("order-more-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> openCircuits() >= 1);

        receiver.on(PATH, 204, Map.of());
        long replayedAt = System.nanoTime();
        Api.Response replay = api.post(
                url(started.settings().retryPort(), "/v1/replays"),
                "{\"filter\": {\"subscription\": \"" + subscription + "\"}}");
        assertThat(replay.status()).isEqualTo(202);

        // Well within the 30 s cool-down: without the probe, the replayed deliveries would wait it out.
        await().atMost(Duration.ofSeconds(20)).until(() -> webhookIds(204).containsAll(dead));
        assertThat(Duration.ofNanos(System.nanoTime() - replayedAt)).isLessThan(Duration.ofSeconds(20));
        assertThat(deadLetters(subscription)).as("nothing died again").isEqualTo(30);
    }

    private static Set<String> webhookIds(int answeredWith) {
        return receiver.answered(PATH).stream()
                .filter(call -> call.answeredWith() == answeredWith)
                .map(call -> call.header("webhook-id"))
                .collect(Collectors.toSet());
    }

    private static int deadLetters(String subscription) {
        JsonNode items = api.get(
                        url(started.settings().retryPort(), "/v1/dead-letters?limit=100&subscription=" + subscription))
                .body()
                .get("items");
        return items.size();
    }

    private static double openCircuits() throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(url(started.settings().dispatcherPort(), "/actuator/prometheus")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("campanello_endpoint_circuits{") && line.contains("state=\"open\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void send(String subject) {
        assertThat(api.post(
                                url(started.settings().ingestPort(), "/v1/events"),
                                "{\"type\": \"order.created\", \"subject\": \"" + subject + "\"}")
                        .status())
                .isEqualTo(202);
    }

    private static String url(int port, String path) {
        return "http://localhost:" + port + path;
    }
}
