package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A restart in the middle of waiting or replaying: nothing is lost, nothing is early, nothing is sent twice. */
class OperatorRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TIER = Topics.retryTier(Topics.RETRY_PREFIX, Duration.ofSeconds(5));

    @TempDir
    Path dataDir;

    @Test
    void aRetryWaitingAcrossARestartIsNeitherLostNorEarly() throws Exception {
        Api api = new Api(TestStandalones.API_KEY);
        try (TestReceiver receiver = new TestReceiver().thenAnswer("/waits", 500)) {
            StandaloneSettings settings;
            try (TestStandalones.Started first = TestStandalones.start(
                    dataDir, List.of("--campanello.kafka.retry-delays=5s", TestStandalones.NO_CIRCUIT))) {
                settings = first.settings();
                subscribe(api, settings, receiver.url("/waits"), "payment.*");
                api.post("http://localhost:" + settings.ingestPort() + "/v1/events", "{\"type\": \"payment.failed\"}");
                await().atMost(WAIT).until(() -> receiver.received("/waits").size() == 1);
            }
            try (TestStandalones.Started second = TestStandalones.start(settings)) {
                settings = second.settings();
                await().atMost(WAIT).until(() -> receiver.received("/waits").size() == 2);
                // The due time the task carried on its tier, and when the tier handed it back (the record's
                // timestamp, on the same clock): a tier that handed it back at once, before or after the
                // restart, fails here however long the restart took.
                AvroDeserializer avro = new AvroDeserializer();
                DeliveryTask waiting = avro.deserialize(
                        TIER,
                        TopicRecords.readUntil(settings.kafkaPort(), TIER, read -> !read.isEmpty())
                                .get(0)
                                .value(),
                        DeliveryTask.class);
                List<ConsumerRecord<String, byte[]>> handedBack =
                        TopicRecords.readUntil(settings.kafkaPort(), Topics.REDELIVERIES, read -> !read.isEmpty());
                assertThat(handedBack)
                        .allSatisfy(record -> assertThat(Instant.ofEpochMilli(record.timestamp()))
                                .as("handed back no earlier than due")
                                .isAfterOrEqualTo(waiting.getNotBefore()));
                // A marker down the same path: a later delivery of the same subscription that fails once waits on
                // the same tier partition and comes back on the same partition of redeliveries, behind anything
                // still due for the first; once it is delivered, a third attempt would have arrived.
                receiver.thenAnswer("/waits", 500);
                api.post("http://localhost:" + settings.ingestPort() + "/v1/events", "{\"type\": \"payment.marker\"}");
                await().atMost(WAIT).until(() -> wentThroughTheRetryPath(receiver, "/waits", "payment.marker"));
            }
            List<TestReceiver.Received> calls = receiver.received("/waits");
            String first = calls.get(0).header("webhook-id");
            assertThat(calls.stream().filter(r -> r.header("webhook-id").equals(first)))
                    .extracting(TestReceiver.Received::answeredWith)
                    .as("the first delivery: one failed attempt, one retry, no third")
                    .containsExactly(500, 204);
            assertThat(calls).hasSize(4);
        }
    }

    @Test
    void aReplayInterruptedByARestartResumesWithoutSendingTwice() throws Exception {
        Api api = new Api(TestStandalones.API_KEY);
        try (TestReceiver receiver = new TestReceiver().alwaysAnswer(503)) {
            String replayId;
            String subscription;
            StandaloneSettings settings;
            try (TestStandalones.Started first = TestStandalones.start(
                    dataDir, List.of("--campanello.kafka.retry-delays=1s", TestStandalones.NO_CIRCUIT))) {
                settings = first.settings();
                String retry = "http://localhost:" + settings.retryPort();
                subscription = subscribe(api, settings, receiver.url("/replayed"), "shipment.*");
                for (int i = 0; i < 20; i++) {
                    api.post(
                            "http://localhost:" + settings.ingestPort() + "/v1/events",
                            "{\"type\": \"shipment.lost\", \"subject\": \"parcel-" + i + "\"}");
                }
                await().atMost(WAIT)
                        .until(() -> api.get(retry + "/v1/dead-letters?subscription=" + subscription)
                                        .body()
                                        .get("items")
                                        .size()
                                == 20);
                receiver.alwaysAnswer(204);
                replayId = api.post(
                                retry + "/v1/replays",
                                "{\"filter\": {\"subscription\": \"" + subscription + "\"}, \"ratePerSecond\": 4}")
                        .body()
                        .get("id")
                        .stringValue();
                await().atMost(WAIT)
                        .until(() -> api.get(retry + "/v1/replays/" + replayId)
                                        .body()
                                        .get("sent")
                                        .intValue()
                                >= 4);
            }
            int beforeRestart = receiver.received("/replayed").size() - 40;
            assertThat(beforeRestart)
                    .as("the replay was interrupted, not finished")
                    .isLessThan(20);

            try (TestStandalones.Started second = TestStandalones.start(settings)) {
                String retry = "http://localhost:" + second.settings().retryPort();
                JsonNode[] replay = new JsonNode[1];
                await().atMost(WAIT).until(() -> {
                    replay[0] = api.get(retry + "/v1/replays/" + replayId).body();
                    return replay[0].get("state").stringValue().equals("COMPLETED");
                });
                assertThat(replay[0].get("sent").intValue()).isEqualTo(20);
                await().atMost(WAIT).until(() -> receiver.received("/replayed").size() >= 60);
                // A marker behind the replayed tasks: a fresh event of the same subscription that fails once comes
                // back on the partition of webhooks.redeliveries the replay wrote to, behind every replayed task;
                // once it is delivered, a replayed task sent twice would have arrived.
                receiver.thenAnswer("/replayed", 500);
                api.post(
                        "http://localhost:" + second.settings().ingestPort() + "/v1/events",
                        "{\"type\": \"shipment.lost\", \"subject\": \"marker\"}");
                await().atMost(WAIT).until(() -> wentThroughTheRetryPath(receiver, "/replayed", "\"marker\""));
            }
            List<TestReceiver.Received> replayed = receiver.received("/replayed").stream()
                    .filter(r -> r.answeredWith() == 204)
                    .filter(r -> !r.bodyText().contains("\"marker\""))
                    .toList();
            Map<String, Long> perWebhookId = replayed.stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertThat(perWebhookId)
                    .hasSize(20)
                    .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        }
    }

    /**
     * Whether the marker failed once and was then delivered: it came back through the retry tier and
     * webhooks.redeliveries, not on a first attempt that found the scripted failure used up by another request.
     */
    private static boolean wentThroughTheRetryPath(TestReceiver receiver, String path, String marker) {
        List<Integer> answers = receiver.received(path).stream()
                .filter(r -> r.bodyText().contains(marker))
                .map(TestReceiver.Received::answeredWith)
                .toList();
        return answers.size() >= 2 && answers.get(0) == 500 && answers.contains(204);
    }

    private static String subscribe(Api api, StandaloneSettings settings, String url, String types) {
        return api.post(
                        "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + url + "\", \"eventTypes\": [\"" + types + "\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
    }
}
