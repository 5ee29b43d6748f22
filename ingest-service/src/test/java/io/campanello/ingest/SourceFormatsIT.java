package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
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
 * Source topics configured one by one ({@code campanello.ingest.sources.*}): plain JSON mapped from key, headers and
 * value for its own tenant, produced by a plain Kafka client; a record that cannot be mapped goes to the ingest dead-letter topic with the reason and the next one is
 * ingested.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=cmp_sources_test",
            "campanello.ingest.sources.erp.topic=" + SourceFormatsIT.JSON_TOPIC,
            "campanello.ingest.sources.erp.format=json",
            "campanello.ingest.sources.erp.tenant=erp",
            "campanello.ingest.sources.erp.mapping.type=header:event-type",
            "campanello.ingest.sources.erp.mapping.id=/orderId",
            "campanello.ingest.sources.erp.mapping.subject=key",
            "campanello.ingest.sources.erp.mapping.source=constant:/erp"
        })
@EmbeddedKafka(
        partitions = 1,
        topics = {SourceFormatsIT.JSON_TOPIC})
@DirtiesContext
class SourceFormatsIT {

    static final String JSON_TOPIC = "erp.orders";

    @Autowired
    EmbeddedKafkaBroker broker;

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
    void plainJsonIsMappedFromKeyHeadersAndValueAndARecordMissingAMappedHeaderIsADeadLetter() {
        String run = UUID.randomUUID().toString();
        send(JSON_TOPIC, "missing-" + run, "{\"orderId\": 1}");
        send(JSON_TOPIC, "order-" + run, "{\"orderId\": 42, \"total\": 9.5}", "event-type", "order.updated");

        EventEnvelope event = awaitEvent("erp/order-" + run);
        assertThat(event.getTenant()).isEqualTo("erp");
        assertThat(event.getType()).isEqualTo("order.updated");
        assertThat(event.getSource()).isEqualTo("/erp");
        assertThat(event.getProducerId()).isEqualTo("42");
        assertThat(event.getData()).isEqualTo("{\"orderId\":42,\"total\":9.5}");

        ConsumerRecord<String, byte[]> missing =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("missing-" + run));
        assertThat(header(missing, KafkaHeaders.ERROR_MESSAGE))
                .isEqualTo(
                        "unmappable_record: 'type' is mapped to header 'event-type', which the record does not have");
        assertThat(header(missing, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(JSON_TOPIC);
    }

    private void send(String topic, String key, String value, String... headers) {
        var record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
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
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && wanted.test(r)) {
                        found.add(r);
                    }
                });
                return found.size() >= count;
            });
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
