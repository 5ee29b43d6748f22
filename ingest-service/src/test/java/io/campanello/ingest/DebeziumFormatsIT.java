package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Debezium's records as Kafka Connect writes them (JSON converter, with and without schemas), produced by a plain
 * Kafka client on an outbox topic and a change-event topic: good ones become events, tombstones are skipped without a
 * dead letter, and each kind of broken record goes to the ingest dead-letter topic with its reason while the records
 * after it are still read.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=cmp_debezium_test",
            "campanello.ingest.sources.outbox.topic=" + DebeziumFormatsIT.OUTBOX_TOPIC,
            "campanello.ingest.sources.outbox.format=debezium-outbox",
            "campanello.ingest.sources.outbox.tenant=erp",
            "campanello.ingest.sources.changes.topic=" + DebeziumFormatsIT.CHANGE_TOPIC,
            "campanello.ingest.sources.changes.format=debezium-change",
            "campanello.ingest.sources.changes.tenant=erp"
        })
@EmbeddedKafka(
        partitions = 1,
        topics = {DebeziumFormatsIT.OUTBOX_TOPIC, DebeziumFormatsIT.CHANGE_TOPIC})
@DirtiesContext
class DebeziumFormatsIT {

    static final String OUTBOX_TOPIC = "erp.outbox";
    static final String CHANGE_TOPIC = "erp.public.orders";

    private static final String SOURCE = "\"source\": {\"name\": \"erp\", \"db\": \"erp\", \"schema\": \"public\","
            + " \"table\": \"orders\", \"ts_ms\": 1795860000000}";

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void startProducer() {
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void outboxRecordsBecomeEventsATombstoneIsSkippedAndARecordWithoutTypeIsADeadLetter() {
        String run = UUID.randomUUID().toString();
        double skippedBefore = skipped();
        send(OUTBOX_TOPIC, "tomb-" + run, null);
        send(OUTBOX_TOPIC, "untyped-" + run, "{\"orderId\": 1}", "id", "U-" + run);
        send(
                OUTBOX_TOPIC,
                "order-" + run,
                "{\"schema\": {\"type\": \"string\", \"optional\": false}, \"payload\": \"{\\\"total\\\": 9.5}\"}",
                "id",
                "E-" + run,
                "type",
                "order.created");

        EventEnvelope event = awaitEvent("erp/order-" + run);
        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getProducerId()).isEqualTo("E-" + run);
        assertThat(event.getData()).isEqualTo("{\"total\":9.5}");

        ConsumerRecord<String, byte[]> untyped =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("untyped-" + run));
        assertThat(header(untyped, KafkaHeaders.ERROR_MESSAGE))
                .startsWith("invalid_debezium_record: the outbox record has no 'type' header");
        assertThat(header(untyped, "id"))
                .as("the router's headers stay with the dead letter")
                .isEqualTo("U-" + run);
        // The tombstone came first on the one partition: read once the later records are.
        assertThat(allKeys(Topics.INGEST_DLQ)).doesNotContain("tomb-" + run);
        assertThat(skipped()).isGreaterThan(skippedBefore);
    }

    @Test
    void changeEventsBecomeTableEventsAndEachKindOfBrokenOneIsADeadLetterWithItsReason() {
        String run = UUID.randomUUID().toString();
        String row = "{\"id\": \"" + run + "\", \"total\": 9.5}";
        String key = "{\"id\": \"" + run + "\"}";
        send(CHANGE_TOPIC, key, "{\"op\": \"c\", \"before\": null, \"after\": " + row + ", " + SOURCE + "}");
        send(CHANGE_TOPIC, "no-op-" + run, "{\"after\": " + row + ", " + SOURCE + "}");
        send(CHANGE_TOPIC, "no-after-" + run, "{\"op\": \"u\", \"after\": null, " + SOURCE + "}");
        send(CHANGE_TOPIC, "unknown-op-" + run, "{\"op\": \"x\", \"after\": " + row + ", " + SOURCE + "}");
        send(
                CHANGE_TOPIC,
                key,
                "{\"schema\": {\"type\": \"struct\"}, \"payload\": {\"op\": \"d\", \"before\": " + row + ", \"after\":"
                        + " null, " + SOURCE + "}}");
        send(CHANGE_TOPIC, key, null);
        send(CHANGE_TOPIC, "marker-" + run, "{\"op\": \"x\", " + SOURCE + "}");

        List<EventEnvelope> events = awaitEvents("erp/" + run, 2);
        assertThat(events).extracting(EventEnvelope::getType).containsExactly("orders.created", "orders.deleted");
        assertThat(events.get(0).getData()).isEqualTo("{\"id\":\"" + run + "\",\"total\":9.5}");
        assertThat(events.get(0).getSource()).isEqualTo("/debezium/erp/erp");

        assertThat(reason("no-op-" + run)).isEqualTo("invalid_debezium_record: the change event has no 'op'");
        assertThat(reason("no-after-" + run))
                .isEqualTo("invalid_debezium_record: a change event with op 'u' needs 'after'");
        assertThat(reason("unknown-op-" + run)).startsWith("invalid_debezium_record: op 'x' is not c, u, d or r");
        awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("marker-" + run));
        assertThat(allKeys(Topics.INGEST_DLQ))
                .as("the tombstone after the delete (read before the marker) is no dead letter")
                .doesNotContain(key);
    }

    private double skipped() {
        var counter = meters.find("campanello.ingest.source.records")
                .tag("outcome", "skipped")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private String reason(String key) {
        return header(awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals(key)), KafkaHeaders.ERROR_MESSAGE);
    }

    private void send(String topic, String key, String value, String... headers) {
        var record = new ProducerRecord<>(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record);
        producer.flush();
    }

    private EventEnvelope awaitEvent(String key) {
        return awaitEvents(key, 1).get(0);
    }

    private List<EventEnvelope> awaitEvents(String key, int count) {
        return awaitRecords(Topics.EVENTS, r -> r.key().equals(key), count).stream()
                .map(r -> new AvroDeserializer().deserialize(Topics.EVENTS, r.value(), EventEnvelope.class))
                .toList();
    }

    private ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        return awaitRecords(topic, wanted, 1).get(0);
    }

    private List<String> allKeys(String topic) {
        List<String> keys = new ArrayList<>();
        awaitRecords(topic, r -> keys.add(r.key()) && false, 0);
        return keys;
    }

    private List<ConsumerRecord<String, byte[]>> awaitRecords(
            String topic, Predicate<ConsumerRecord<String, byte[]>> wanted, int count) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var polled = consumer.poll(Duration.ofMillis(200));
                polled.forEach(r -> {
                    if (r.key() != null && wanted.test(r)) {
                        found.add(r);
                    }
                });
                return count == 0
                        ? !consumer.assignment().isEmpty() && polled.isEmpty() && caughtUp(consumer)
                        : found.size() >= count;
            });
        }
        return found;
    }

    /** Whether the consumer has read every record of its partitions written so far. */
    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer) {
        var ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
