package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What an operator does at 3 a.m.: find the dead letters, see why, and replay them once the receiver is fixed. */
class DeadLettersIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

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
                        "--campanello.kafka.retry-delays=1s,1s",
                        "--campanello.api.keys=other=cmp_other_tenant",
                        TestStandalones.NO_CIRCUIT)));
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

    private static String retry() {
        return "http://localhost:" + settings.retryPort();
    }

    @Test
    void deadLettersAreListedWithTheirReasonAndReplayedOnceWithTheirWebhookId() {
        String path = "/down-for-hours";
        receiver.on(path, 503, Map.of());
        String subscription = api.post(
                        "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url(path)
                                + "\", \"eventTypes\": [\"invoice.*\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        for (int i = 0; i < 5; i++) {
            assertThat(api.post(
                                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                                    "{\"type\": \"invoice.issued\", \"subject\": \"inv-" + i + "\"}")
                            .status())
                    .isEqualTo(202);
        }

        List<JsonNode> deadLetters = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            deadLetters.clear();
            api.get(retry() + "/v1/dead-letters?subscription=" + subscription)
                    .body()
                    .get("items")
                    .forEach(deadLetters::add);
            return deadLetters.size() == 5;
        });
        assertThat(deadLetters).allSatisfy(deadLetter -> {
            assertThat(deadLetter.get("reason").stringValue()).isEqualTo("exhausted");
            assertThat(deadLetter.get("attempts").intValue()).isEqualTo(3);
            assertThat(deadLetter.get("lastStatus").intValue()).isEqualTo(503);
        });
        assertThat(receiver.received(path)).as("every attempt was made").hasSize(15);
        Set<String> webhookIds = receiver.received(path).stream()
                .map(r -> r.header("webhook-id"))
                .collect(Collectors.toSet());
        assertThat(webhookIds).hasSize(5);

        JsonNode one = api.get(retry() + "/v1/dead-letters/"
                        + deadLetters.get(0).get("id").stringValue())
                .body();
        assertThat(one.get("event").get("type").stringValue()).isEqualTo("invoice.issued");
        assertThat(api.as("cmp_other_tenant")
                        .get(retry() + "/v1/dead-letters?subscription=" + subscription)
                        .body()
                        .get("items"))
                .as("another tenant sees none of them")
                .isEmpty();
        JsonNode page = api.get(retry() + "/v1/dead-letters?subscription=" + subscription + "&limit=2")
                .body();
        assertThat(page.get("items")).hasSize(2);
        assertThat(api.get(retry() + "/v1/dead-letters?subscription=" + subscription + "&limit=2&cursor="
                                + page.get("nextCursor").stringValue())
                        .body()
                        .get("items"))
                .hasSize(2);

        JsonNode dryRun = awaitFinished(api.post(
                        retry() + "/v1/replays",
                        "{\"filter\": {\"subscription\": \"" + subscription + "\"}, \"dryRun\": true}")
                .body());
        assertThat(dryRun.get("matched").intValue()).isEqualTo(5);
        assertThat(dryRun.get("sent").intValue()).isZero();
        assertThat(receiver.received(path)).hasSize(15);

        receiver.on(path, 204, Map.of());
        Api.Response started = api.post(
                retry() + "/v1/replays",
                "{\"filter\": {\"subscription\": \"" + subscription
                        + "\", \"reason\": \"EXHAUSTED\"}, \"ratePerSecond\": 20}");
        assertThat(started.status()).isEqualTo(202);
        JsonNode replay = awaitFinished(started.body());
        assertThat(replay.get("state").stringValue()).isEqualTo("COMPLETED");
        assertThat(replay.get("sent").intValue()).isEqualTo(5);
        await().atMost(WAIT).until(() -> receiver.received(path).size() == 20);
        List<TestReceiver.Received> replayed = receiver.received(path).subList(15, 20);
        assertThat(replayed).allSatisfy(call -> assertThat(call.answeredWith()).isEqualTo(204));
        assertThat(replayed.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet()))
                .isEqualTo(webhookIds);

        JsonNode again = awaitFinished(
                api.post(retry() + "/v1/replays", "{\"filter\": {\"subscription\": \"" + subscription + "\"}}")
                        .body());
        assertThat(again.get("matched").intValue())
                .as("replaying twice is an explicit choice")
                .isZero();
        JsonNode explicit = awaitFinished(api.post(
                        retry() + "/v1/replays",
                        "{\"filter\": {\"subscription\": \"" + subscription
                                + "\"}, \"includeReplayed\": true, \"dryRun\": true}")
                .body());
        assertThat(explicit.get("matched").intValue()).isEqualTo(5);
    }

    private static JsonNode awaitFinished(JsonNode started) {
        String id = started.get("id").stringValue();
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            last[0] = api.get(retry() + "/v1/replays/" + id).body();
            return !last[0].get("state").stringValue().equals("RUNNING");
        });
        return last[0];
    }
}
