package io.campanello.ingest;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Records per second one ingest instance reads from a source topic into webhooks.events, per source format — today's
 * JSON path ({@code campanello-json}), {@code avro} (Confluent wire format, schema from a registry stand-in), {@code
 * debezium-outbox} and {@code debezium-change} — the same order in each: {@code bash bench/source-formats.sh}. Each
 * round produces N records to a fresh topic of 2 partitions, starts ingest (default source-concurrency 2) and times
 * its consumer group's committed offsets from 10 % to 100 % of N, so start-up and the first fetches are left out. The
 * formats take turns, round after round. Broker, ingest and registry stand-in share this JVM. Every record must be
 * accepted (none dead-lettered or skipped) within {@code bench.round-timeout-seconds}, or the benchmark exits 1.
 */
public final class SourceThroughputBenchmark {

    private SourceThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 50_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<String> formats =
                List.of(System.getProperty("bench.formats", "campanello-json,avro,debezium-outbox,debezium-change")
                        .split(","));
        var broker = new EmbeddedKafkaKraftBroker(1, 2);
        broker.afterPropertiesSet();
        try (var registry = new ConfluentRegistryStandIn("bench", "bench");
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (String format : formats) {
                    double rate = round(broker, registry, admin, format, round, records);
                    rates.computeIfAbsent(format, f -> new ArrayList<>()).add(rate);
                    System.out.printf(Locale.ROOT, "round %d %-15s %,10.0f records/s%n", round, format, rate);
                }
            }
            rates.forEach((format, list) -> System.out.printf(
                    Locale.ROOT,
                    "%-15s median %,10.0f records/s over %d rounds %s%n",
                    format,
                    median(list),
                    list.size(),
                    list.stream()
                            .map(r -> String.format(Locale.ROOT, "%,.0f", r))
                            .toList()));
            double json = median(rates.getOrDefault("campanello-json", List.of(Double.NaN)));
            rates.forEach((format, list) ->
                    System.out.printf(Locale.ROOT, "%s / campanello-json: %.2f%n", format, median(list) / json));
        } catch (AccountingFailure e) {
            System.out.println("FAILED: " + e.getMessage());
            System.exit(1);
        } finally {
            broker.destroy();
        }
        System.exit(0);
    }

    /** A round whose records were not all accepted in time: the benchmark's figures would be wrong. */
    private static final class AccountingFailure extends Exception {
        AccountingFailure(String message) {
            super(message);
        }
    }

    private static double round(
            EmbeddedKafkaKraftBroker broker,
            ConfluentRegistryStandIn registry,
            Admin admin,
            String format,
            int round,
            int records)
            throws Exception {
        String topic = "bench." + format + "." + round;
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        produce(broker, registry, topic, format, records);
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--campanello.api.key=cmp_bench",
                "--logging.level.root=WARN",
                "--campanello.ingest.sources.bench.topic=" + topic,
                "--campanello.ingest.sources.bench.format=" + format));
        if (format.equals("avro")) {
            arguments.add("--campanello.ingest.sources.bench.mapping.subject=/orderId");
            arguments.add("--campanello.ingest.schema-registry.url=" + registry.ccompatUrl());
            arguments.add("--campanello.ingest.schema-registry.username=bench");
            arguments.add("--campanello.ingest.schema-registry.password=bench");
        }
        try (ConfigurableApplicationContext ingest =
                IngestApplication.application().run(arguments.toArray(String[]::new))) {
            long deadline = System.nanoTime() + Long.getLong("bench.round-timeout-seconds", 180) * 1_000_000_000L;
            long warm = awaitCommitted(admin, topic, records / 10, deadline);
            long done = awaitCommitted(admin, topic, records, deadline);
            if (warm < 0 || done < 0) {
                throw new AccountingFailure(format + " round " + round + ": not all " + records
                        + " records were read in time (committed offsets short)");
            }
            double accepted = ingest.getBean(MeterRegistry.class)
                    .counter("campanello.ingest.source.records", "outcome", "accepted")
                    .count();
            if (accepted != records) {
                throw new AccountingFailure(format + " round " + round + ": " + (long) accepted + " of " + records
                        + " records accepted (the rest dead-lettered or skipped)");
            }
            return (records - records / 10) * 1e9 / (done - warm);
        }
    }

    private static void produce(
            EmbeddedKafkaKraftBroker broker, ConfluentRegistryStandIn registry, String topic, String format, int n) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(),
                ProducerConfig.LINGER_MS_CONFIG,
                5);
        try (var serializer = new AvroKafkaSerializer<GenericRecord>();
                var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            serializer.configure(registry.serializerConfig(), false);
            for (int i = 0; i < n; i++) {
                String orderId = "order-" + i;
                producer.send(
                        switch (format) {
                            case "avro" ->
                                new ProducerRecord<>(
                                        topic,
                                        orderId,
                                        serializer.serialize(topic, ShopOrders.order(orderId, "12.50", null)));
                            case "campanello-json" -> new ProducerRecord<>(topic, orderId, bytes(json(orderId)));
                            case "debezium-outbox" -> outbox(topic, orderId, i);
                            case "debezium-change" -> change(topic, i);
                            default -> throw new IllegalArgumentException("no such format: " + format);
                        });
            }
            producer.flush();
        }
    }

    /** The same order as {@link ShopOrders#order}, as today's JSON path reads it. */
    private static String json(String orderId) {
        return "{\"type\": \"com.shop.OrderPlaced\", \"subject\": \"" + orderId + "\", \"data\": {\"orderId\": \""
                + orderId
                + "\", \"total\": \"12.50\", \"placedAt\": \"2026-11-28T10:15:30.250Z\", \"status\": \"PAID\","
                + " \"note\": null, \"lines\": [{\"sku\": \"bell\", \"quantity\": 2}], \"tags\": {\"channel\":"
                + " \"web\"}}}";
    }

    /** The same order's data, as a row of JSON (what an outbox payload column or a change event's row holds). */
    private static String row(String orderId) {
        return "{\"orderId\": \"" + orderId + "\", \"total\": \"12.50\", \"placedAt\": \"2026-11-28T10:15:30.250Z\","
                + " \"status\": \"PAID\", \"note\": null, \"lines\": [{\"sku\": \"bell\", \"quantity\": 2}],"
                + " \"tags\": {\"channel\": \"web\"}}";
    }

    /** The order as Debezium's outbox router writes it with JsonConverter (schemas off): a jsonb payload as a string. */
    private static ProducerRecord<String, byte[]> outbox(String topic, String orderId, int i) {
        var record =
                new ProducerRecord<>(topic, orderId, bytes("\"" + row(orderId).replace("\"", "\\\"") + "\""));
        record.headers().add("id", bytes("6f1c2a4e-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", i)));
        record.headers().add("type", bytes("com.shop.OrderPlaced"));
        return record;
    }

    /** The order as a PostgreSQL change event of Debezium (JsonConverter, schemas off), keyed by its primary key. */
    private static ProducerRecord<String, byte[]> change(String topic, int i) {
        return new ProducerRecord<>(
                topic,
                "{\"id\": " + i + "}",
                bytes("{\"before\": null, \"after\": " + row("order-" + i) + ", \"source\": {\"version\":"
                        + " \"3.6.1.Final\", \"connector\": \"postgresql\", \"name\": \"erp\", \"ts_ms\":"
                        + " 1795860000000, \"db\": \"erp\", \"schema\": \"public\", \"table\": \"orders\","
                        + " \"txId\": " + i + ", \"lsn\": " + (24_000_000L + i) + "}, \"op\": \"c\", \"ts_ms\":"
                        + " 1795860000123}"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the source group has committed this many records of the topic; the time it saw that, -1 if late. */
    private static long awaitCommitted(Admin admin, String topic, long wanted, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                            "campanello-ingest-sources")
                    .partitionsToOffsetAndMetadata()
                    .get();
            long committed = offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
            if (committed >= wanted) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
