package io.campanello.standalone;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
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
 *
 * <p>Each part checks its own accounting: every delivery handed back once and delivered once, every dead letter
 * replayed and delivered once. A failed check prints why and ends the run with exit status 1.
 */
public final class RetryBenchmark {

    /** How long the deliveries may take to arrive once the measured part is over. */
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.settle", 120));

    /*
     * Every delivery fails on purpose: with circuits, the endpoint's circuit would open after a few failures and the
     * retries would meet it instead of the endpoint (and end as dead letters), which is not what this measures.
     */
    /**
     * Circuits off for this run: the replay part fails 2 attempts of every delivery on purpose, more than
     * {@link TestStandalones#NO_CIRCUIT}'s 1,000 consecutive failures at 2,000 deliveries, and an open circuit would
     * turn the replay's deliveries into {@code circuit_open} attempts instead of requests.
     */
    private static final String NO_CIRCUIT = "--campanello.dispatcher.circuit.failures=20000";

    public static void main(String[] args) {
        List<String> failures = new ArrayList<>();
        try {
            int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
            Api api = new Api(TestStandalones.API_KEY);
            Path dataDir = Files.createTempDirectory("campanello-bench");
            try (TestStandalones.Started standalone =
                            TestStandalones.start(dataDir, List.of("--campanello.kafka.retry-delays=2s", NO_CIRCUIT));
                    TestReceiver receiver = new TestReceiver()) {
                failures.addAll(lateness(standalone.settings(), api, receiver, deliveries));
            }
            Path replayDir = Files.createTempDirectory("campanello-bench");
            try (TestStandalones.Started standalone = TestStandalones.start(
                            replayDir, List.of("--campanello.kafka.retry-delays=100ms", NO_CIRCUIT));
                    TestReceiver receiver = new TestReceiver()) {
                failures.addAll(replay(standalone.settings(), api, receiver, deliveries));
            }
        } catch (Exception | AssertionError e) {
            failures.add("retry benchmark did not finish: " + e);
            e.printStackTrace();
        }
        failures.forEach(failure -> System.out.println("retry CHECK FAILED: " + failure));
        System.exit(failures.isEmpty() ? 0 : 1); // a Kafka client thread must not keep the JVM alive
    }

    private static List<String> lateness(StandaloneSettings settings, Api api, TestReceiver receiver, int deliveries)
            throws InterruptedException {
        receiver.alwaysAnswer(204);
        receiver.failFirstAttempt("/late", 500);
        subscribe(settings, api, receiver.url("/late"));
        send(settings, api, deliveries);
        List<Long> lateness = new ArrayList<>();
        Map<String, Integer> handedBack = new HashMap<>();
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
            while (handedBack.size() < deliveries && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    DeliveryTask task = avro.deserialize(Topics.REDELIVERIES, record.value(), DeliveryTask.class);
                    lateness.add(record.timestamp() - task.getNotBefore().toEpochMilli());
                    handedBack.merge(task.getDeliveryId(), 1, Integer::sum);
                });
            }
        }
        List<String> failures = new ArrayList<>();
        if (lateness.isEmpty()) {
            failures.add("retry lateness: no task was handed back");
            return failures;
        }
        Collections.sort(lateness);
        System.out.printf(
                "retry lateness (handed back - due), %d tasks on the 2 s tier: min %d ms, p50 %d ms, p99 %d ms, max %d ms%n",
                lateness.size(),
                lateness.get(0),
                percentile(lateness, 50),
                percentile(lateness, 99),
                lateness.get(lateness.size() - 1));
        if (handedBack.size() < deliveries) {
            failures.add(String.format(
                    "retry lateness: %d of %d failed deliveries handed back", handedBack.size(), deliveries));
        }
        handedBack.forEach((id, times) -> {
            if (times > 1) {
                failures.add("retry lateness: " + id + " handed back " + times + " times");
            }
        });
        failures.addAll(deliveredOnce("retry", receiver, "/late", deliveries));
        return failures;
    }

    /**
     * Waits (a bounded time) for each of the deliveries to be answered 2xx at the path, then reports any webhook-id
     * missing or delivered twice: nothing crashes during a benchmark, so at-least-once allows no duplicate here.
     */
    private static List<String> deliveredOnce(String part, TestReceiver receiver, String path, int deliveries)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, Long> delivered = Map.of();
        while (System.nanoTime() < deadline) {
            delivered = receiver.received(path).stream()
                    .filter(r -> r.answeredWith() / 100 == 2)
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            if (delivered.size() >= deliveries) {
                break;
            }
            Thread.sleep(200); // a benchmark waiting for its backlog, not a test waiting for luck
        }
        List<String> failures = new ArrayList<>();
        if (delivered.size() != deliveries) {
            failures.add(String.format(
                    "%s: %d of %d deliveries arrived within %d s",
                    part, delivered.size(), deliveries, SETTLE.toSeconds()));
        }
        long duplicates = delivered.values().stream().mapToLong(n -> n - 1).sum();
        if (duplicates > 0) {
            failures.add(String.format("%s: %d duplicate deliveries (none allowed)", part, duplicates));
        }
        return failures;
    }

    private static List<String> replay(StandaloneSettings settings, Api api, TestReceiver receiver, int deliveries)
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
        List<String> failures = new ArrayList<>();
        if (!job.get("state").stringValue().equals("COMPLETED")
                || job.get("sent").intValue() != deliveries) {
            failures.add(String.format(
                    "replay: %s with %d of %d dead letters sent",
                    job.get("state").stringValue(), job.get("sent").intValue(), deliveries));
        }
        failures.addAll(deliveredOnce("replay", receiver, "/replay", deliveries));
        return failures;
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
