package io.campanello.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Records/s one ingest instance reads from a source topic and writes to webhooks.events, per format: a backlog of
 * {@code bench.records} records is produced first, then ingest starts with that one source and is timed from the
 * tenth of the backlog (past start-up and partition assignment) to the last record. Run by {@code
 * bench/ingest-formats.sh}.
 */
final class SourceFormatsBenchmark {

    private static final int RECORDS = Integer.getInteger("bench.records", 200_000);
    private static final int PARTITIONS = 3;

    private SourceFormatsBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> formats = List.of(
                args.length > 0
                        ? args[0].split(",")
                        : new String[] {"campanello-json", "debezium-outbox", "debezium-change", "campanello-json"});
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.afterPropertiesSet();
        try {
            System.out.println("| format | records | records/s |");
            System.out.println("|---|---|---|");
            int run = 0;
            for (String format : formats) {
                String topic = "bench." + (run++) + "." + format;
                broker.addTopics(new org.apache.kafka.clients.admin.NewTopic(topic, PARTITIONS, (short) 1));
                produce(broker.getBrokersAsString(), topic, format);
                double perSecond = ingest(broker.getBrokersAsString(), topic, format);
                System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f |%n", format, RECORDS, perSecond);
            }
        } finally {
            broker.destroy();
        }
        System.exit(0);
    }

    private static void produce(String brokers, String topic, String format) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(record(topic, format, i));
            }
            producer.flush();
        }
    }

    /** A record as its producer writes it: the same order, about 150 bytes of data, in each format. */
    static ProducerRecord<String, byte[]> record(String topic, String format, int i) {
        String row = "{\"orderId\": " + i + ", \"customer\": \"ACME Industrial Supplies\", \"total\": 99.50,"
                + " \"currency\": \"EUR\", \"lines\": 3}";
        switch (format) {
            case "campanello-json":
                return new ProducerRecord<>(
                        topic,
                        "order-" + i,
                        bytes("{\"type\": \"order.created\", \"id\": \"e-" + i + "\", \"subject\": \"order-" + i
                                + "\", \"data\": " + row + "}"));
            case "debezium-outbox":
                var outbox = new ProducerRecord<>(topic, "order-" + i, bytes("\"" + row.replace("\"", "\\\"") + "\""));
                outbox.headers().add("id", bytes("6f1c2a4e-0000-4000-8000-" + String.format("%012d", i)));
                outbox.headers().add("type", bytes("order.created"));
                return outbox;
            case "debezium-change":
                return new ProducerRecord<>(
                        topic,
                        "{\"id\": " + i + "}",
                        bytes("{\"before\": null, \"after\": " + row + ", \"source\": {\"version\": \"3.6.1.Final\","
                                + " \"connector\": \"postgresql\", \"name\": \"erp\", \"ts_ms\": 1795860000000,"
                                + " \"db\": \"erp\", \"schema\": \"public\", \"table\": \"orders\", \"txId\": " + i
                                + ", \"lsn\": " + (24_000_000L + i) + "}, \"op\": \"c\", \"ts_ms\": 1795860000123}"));
            default:
                throw new IllegalArgumentException("no such format: " + format);
        }
    }

    private static double ingest(String brokers, String topic, String format) throws InterruptedException {
        try (ConfigurableApplicationContext ingest = IngestApplication.application()
                .run(
                        "--spring.kafka.bootstrap-servers=" + brokers,
                        "--server.port=0",
                        "--management.server.port=0",
                        "--campanello.api.key=cmp_bench",
                        "--campanello.ingest.sources.bench.topic=" + topic,
                        "--campanello.ingest.sources.bench.format=" + format)) {
            Counter accepted = ingest.getBean(MeterRegistry.class)
                    .counter("campanello.ingest.source.records", "outcome", "accepted");
            long from = RECORDS / 10;
            while (accepted.count() < from) {
                Thread.onSpinWait();
            }
            long start = System.nanoTime();
            double startCount = accepted.count();
            while (accepted.count() < RECORDS) {
                Thread.sleep(1); // a benchmark's poll of a counter, not a test waiting
            }
            return (accepted.count() - startCount) / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
