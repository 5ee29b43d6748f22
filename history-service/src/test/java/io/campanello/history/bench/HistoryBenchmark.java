package io.campanello.history.bench;

import io.campanello.history.HistoryApplication;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * Loads N attempts (N / 2 deliveries of 2 attempts each: 503, then 200, over 1,000 subscriptions) into the history
 * on an in-process broker, waits until it has read them all, then measures the query latency over HTTP (by delivery
 * id, by event id, a subscription's newest page) and the disk and memory it took. {@code bench/history.sh}.
 */
public final class HistoryBenchmark {

    private static final int SUBSCRIPTIONS = 1_000;
    private static final int QUERIES = 2_000;
    private static final String KEY = "cmp_bench";
    private static final String BODY = "{\"ok\":true,\"request_id\":\"req_0123456789abcdef\"}";

    private HistoryBenchmark() {}

    /** Exits 1 when a record could not be written or a query found no answer: the figures would be of less. */
    public static void main(String[] args) {
        try {
            run(Integer.parseInt(args.length > 0 ? args[0] : "1000000"));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(int attempts) throws Exception {
        int deliveries = attempts / 2;
        Path stateDir = Files.createTempDirectory("history-bench");
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
        broker.afterPropertiesSet();
        ConfigurableApplicationContext history = HistoryApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.kafka.partitions=4",
                        "--campanello.api.key=" + KEY,
                        "--campanello.history.state-dir=" + stateDir,
                        "--campanello.history.standby-replicas=0",
                        "--spring.main.banner-mode=off");
        try {
            int port = Integer.parseInt(history.getEnvironment().getProperty("local.server.port"));
            List<String> subscriptions =
                    Stream.generate(Ids::newSubscriptionId).limit(SUBSCRIPTIONS).toList();
            List<String[]> sample = new ArrayList<>();
            long loadStart = System.nanoTime();
            load(broker.getBrokersAsString(), subscriptions, deliveries, sample);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long readStart = System.nanoTime();
            awaitCaughtUp(broker.getBrokersAsString());
            double readSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf(
                    "| loaded | %,d attempts (%,d deliveries, %,d subscriptions) | written in %.0f s | read by the history in %.0f s (%.0f s after the last write) |%n",
                    attempts,
                    deliveries,
                    SUBSCRIPTIONS,
                    loadSeconds,
                    readSeconds,
                    (System.nanoTime() - readStart) / 1e9);

            HttpClient http = HttpClient.newHttpClient();
            Random random = new Random(42);
            // Warm-up: the JIT and RocksDB's cache, not measured.
            measure(http, port, "/v1/deliveries/", sample, 0, random, 500);
            print("GET /v1/deliveries/{id}", measure(http, port, "/v1/deliveries/", sample, 0, random, QUERIES));
            print("GET /v1/events/{id}/deliveries", measure(http, port, "/v1/events/", sample, 1, random, QUERIES));
            List<String[]> bySubscription =
                    subscriptions.stream().map(s -> new String[] {s}).toList();
            print(
                    "GET /v1/subscriptions/{id}/deliveries (50)",
                    measure(http, port, "/v1/subscriptions/", bySubscription, 0, random, QUERIES));

            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    "| disk | state dir %,d MB | changelog topics %,d MB | per million attempts %,d MB + %,d MB |%n",
                    size(stateDir) >> 20,
                    changelogBytes(broker.getBrokersAsString()) >> 20,
                    (size(stateDir) * 1_000_000L / attempts) >> 20,
                    (changelogBytes(broker.getBrokersAsString()) * 1_000_000L / attempts) >> 20);
            System.out.printf(
                    "| memory | heap used after GC %,d MB | process RSS %,d MB (broker and history in one JVM) |%n",
                    heap >> 20, rss() >> 10);
        } finally {
            history.close();
            broker.destroy();
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    private static void load(String servers, List<String> subscriptions, int deliveries, List<String[]> sample) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
        // Spread over at most six days, all in the past: inside the history's 7-day retention, and never after the
        // broker's clock (it refuses timestamps more than an hour ahead).
        long step = Math.min(50L, Duration.ofDays(6).toMillis() / deliveries);
        Instant start =
                Instant.now().minus(Duration.ofMillis(step * deliveries)).minus(Duration.ofMinutes(1));
        AtomicLong refused = new AtomicLong();
        AtomicReference<Exception> firstRefusal = new AtomicReference<>();
        Callback check = (metadata, exception) -> {
            if (exception != null && refused.getAndIncrement() == 0) {
                firstRefusal.set(exception);
            }
        };
        try (var producer =
                new KafkaProducer<String, SpecificRecord>(config, new StringSerializer(), new AvroSerializer())) {
            for (int i = 0; i < deliveries; i++) {
                String subscription = subscriptions.get(i % subscriptions.size());
                Instant at = start.plusMillis(i * step);
                EventEnvelope event = EventEnvelope.newBuilder()
                        .setId(Ids.newEventId())
                        .setTenant("default")
                        .setType("order.created")
                        .setSubject("order-" + i)
                        .setTime(at)
                        .setReceivedAt(at)
                        .setData("{\"order\":" + i + ",\"amount\":150,\"currency\":\"EUR\",\"lines\":3}")
                        .build();
                DeliveryTask task = DeliveryTask.newBuilder()
                        .setDeliveryId(Ids.deliveryId(event.getId(), subscription))
                        .setSubscriptionId(subscription)
                        .setTenant("default")
                        .setEvent(event)
                        .build();
                producer.send(
                        new ProducerRecord<>(Topics.DELIVERIES, null, at.toEpochMilli(), subscription, task), check);
                for (int n = 1; n <= 2; n++) {
                    Instant started = at.plusSeconds(n == 1 ? 0 : 5);
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.ATTEMPTS,
                                    null,
                                    started.toEpochMilli(),
                                    task.getDeliveryId(),
                                    attempt(task, n, started)),
                            check);
                }
                if (i % Math.max(1, deliveries / 5_000) == 0) {
                    sample.add(new String[] {task.getDeliveryId(), event.getId()});
                }
            }
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(
                    refused.get() + " records were not written; the first: " + firstRefusal.get(), firstRefusal.get());
        }
    }

    private static DeliveryAttempt attempt(DeliveryTask task, int number, Instant startedAt) {
        boolean ok = number == 2;
        return DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(number)
                .setUrl("https://hooks.example.com/campanello/" + task.getSubscriptionId())
                .setStartedAt(startedAt)
                .setDurationMillis(ok ? 42 : 120)
                .setOutcome(ok ? AttemptOutcome.DELIVERED : AttemptOutcome.RETRYABLE)
                .setStatus(ok ? 200 : 503)
                .setResponseHeaders(Map.of("content-type", "application/json"))
                .setResponseBody(ok ? BODY : "{\"error\":\"busy\"}")
                .build();
    }

    /** Until the history's group has committed the end of every input and repartition partition. */
    private static void awaitCaughtUp(String servers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("campanello-history")
                        .partitionsToOffsetAndMetadata()
                        .get();
                Set<TopicPartition> inputs = committed.keySet();
                if (inputs.stream().anyMatch(p -> p.topic().equals(Topics.ATTEMPTS))
                        && inputs.stream().anyMatch(p -> p.topic().endsWith("-repartition"))) {
                    Map<TopicPartition, OffsetSpec> latest =
                            inputs.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                            admin.listOffsets(latest).all().get();
                    long lag = inputs.stream()
                            .mapToLong(
                                    p -> ends.get(p).offset() - committed.get(p).offset())
                            .sum();
                    if (lag == 0) {
                        return;
                    }
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    private static long[] measure(
            HttpClient http, int port, String prefix, List<String[]> ids, int column, Random random, int count)
            throws Exception {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            String id = ids.get(random.nextInt(ids.size()))[column];
            String path = prefix
                    + id
                    + (prefix.equals("/v1/events/") ? "/deliveries" : "")
                    + (prefix.equals("/v1/subscriptions/") ? "/deliveries?limit=50" : "");
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Authorization", "Bearer " + KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - start) / 1_000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        java.util.Arrays.sort(micros);
        return micros;
    }

    private static void print(String query, long[] sorted) {
        System.out.printf(
                "| %s | p50 %.1f ms | p99 %.1f ms | max %.1f ms |%n",
                query,
                sorted[sorted.length / 2] / 1000.0,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1000.0,
                sorted[sorted.length - 1] / 1000.0);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    private static long changelogBytes(String servers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            Collection<Integer> brokers = admin.describeCluster().nodes().get().stream()
                    .map(node -> node.id())
                    .toList();
            long total = 0;
            for (var byBroker :
                    admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (var dir : byBroker.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().endsWith("-changelog")) {
                            total += replica.getValue().size();
                        }
                    }
                }
            }
            return total;
        }
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
