package io.campanello.standalone;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * Retry lateness and replay throughput on one machine, broker and services in one JVM. Not a test: run with
 * {@code bash bench/retry.sh [deliveries]}.
 *
 * <p>Lateness: N deliveries fail once and wait on the 2 s tier; for each task the retry service hands back, the time
 * it appended the task to webhooks.redeliveries minus the task's due time. Replay: N deliveries fail for good (two
 * attempts 100 ms apart), then one replay at 10,000/s sends them all back; dead letters per second from the replay's
 * start to its end.
 */
public final class RetryBenchmark {

    public static void main(String[] args) throws Exception {
        int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dataDir = Files.createTempDirectory("campanello-bench");
        StandaloneSettings settings = TestStandalones.settings(dataDir, List.of("--campanello.kafka.retry-delays=2s"));
        Api api = new Api(TestStandalones.API_KEY);
        try (Standalone standalone = Standalone.start(settings);
                TestReceiver receiver = new TestReceiver()) {
            lateness(settings, api, receiver, deliveries);
        }
        Path replayDir = Files.createTempDirectory("campanello-bench");
        StandaloneSettings replaySettings =
                TestStandalones.settings(replayDir, List.of("--campanello.kafka.retry-delays=100ms"));
        try (Standalone standalone = Standalone.start(replaySettings);
                TestReceiver receiver = new TestReceiver()) {
            replay(replaySettings, api, receiver, deliveries);
        }
    }

    private static void lateness(StandaloneSettings settings, Api api, TestReceiver receiver, int deliveries)
            throws InterruptedException {
        receiver.alwaysAnswer(204);
        for (int i = 0; i < deliveries; i++) {
            receiver.thenAnswer(500);
        }
        subscribe(settings, api, receiver.url("/late"));
        send(settings, api, deliveries);
        List<Long> lateness = new ArrayList<>();
        AvroDeserializer avro = new AvroDeserializer();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort(),
                        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.REDELIVERIES));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (lateness.size() < deliveries && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    DeliveryTask task = avro.deserialize(Topics.REDELIVERIES, record.value(), DeliveryTask.class);
                    lateness.add(record.timestamp() - task.getNotBefore().toEpochMilli());
                });
            }
        }
        Collections.sort(lateness);
        System.out.printf(
                "retry lateness (handed back - due), %d tasks on the 2 s tier: min %d ms, p50 %d ms, p99 %d ms, max %d ms%n",
                lateness.size(),
                lateness.get(0),
                percentile(lateness, 50),
                percentile(lateness, 99),
                lateness.get(lateness.size() - 1));
    }

    private static void replay(StandaloneSettings settings, Api api, TestReceiver receiver, int deliveries)
            throws InterruptedException {
        receiver.alwaysAnswer(500);
        String subscription = subscribe(settings, api, receiver.url("/replay"));
        send(settings, api, deliveries);
        String retry = "http://localhost:" + settings.retryPort();
        while (api.get(retry + "/v1/dead-letters?limit=1000&subscription=" + subscription)
                        .body()
                        .get("items")
                        .size()
                < Math.min(deliveries, 1000)) {
            Thread.sleep(500); // a benchmark waiting for its setup, not a test waiting for luck
        }
        waitForAllDeadLetters(api, retry, subscription, deliveries);
        receiver.alwaysAnswer(204);
        long started = System.nanoTime();
        JsonNode job = api.post(
                        retry + "/v1/replays",
                        "{\"filter\": {\"subscription\": \"" + subscription + "\"}, \"ratePerSecond\": 10000}")
                .body();
        String id = job.get("id").stringValue();
        while (job.get("state").stringValue().equals("RUNNING")) {
            Thread.sleep(100);
            job = api.get(retry + "/v1/replays/" + id).body();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "replay of %d dead letters (rate limit 10,000/s): %s in %.2f s = %.0f dead letters/s%n",
                job.get("sent").intValue(),
                job.get("state").stringValue(),
                seconds,
                job.get("sent").intValue() / seconds);
    }

    private static void waitForAllDeadLetters(Api api, String retry, String subscription, int deliveries)
            throws InterruptedException {
        while (true) {
            int count = 0;
            String cursor = null;
            do {
                JsonNode page = api.get(retry + "/v1/dead-letters?limit=1000&subscription=" + subscription
                                + (cursor == null ? "" : "&cursor=" + cursor))
                        .body();
                count += page.get("items").size();
                cursor = page.get("nextCursor").isNull()
                        ? null
                        : page.get("nextCursor").stringValue();
            } while (cursor != null);
            if (count >= deliveries) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private static String subscribe(StandaloneSettings settings, Api api, String url) {
        return api.post(
                        "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + url + "\", \"eventTypes\": [\"bench.*\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
    }

    private static void send(StandaloneSettings settings, Api api, int count) {
        for (int i = 0; i < count; i++) {
            api.post(
                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                    "{\"type\": \"bench.retry\", \"subject\": \"s-" + i + "\"}");
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
