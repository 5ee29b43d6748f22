package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * Source topics configured one by one ({@code campanello.ingest.sources.*}): CloudEvents in binary and structured
 * mode for one tenant, plain JSON mapped from key, headers and value for another, each produced by a plain Kafka
 * client; a record that cannot be mapped goes to the ingest dead-letter topic with the reason and the next one is
 * ingested.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=cmp_sources_test",
            "campanello.ingest.sources.shop.topic=" + SourceFormatsIT.CLOUDEVENTS_TOPIC,
            "campanello.ingest.sources.shop.format=cloudevents",
            "campanello.ingest.sources.shop.tenant=shop",
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
        topics = {SourceFormatsIT.CLOUDEVENTS_TOPIC, SourceFormatsIT.JSON_TOPIC})
@DirtiesContext
class SourceFormatsIT {

    static final String CLOUDEVENTS_TOPIC = "shop.cloudevents";
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
    void cloudEventsInBinaryAndStructuredModeBecomeEventsAndABadOneADeadLetter() {
        String run = UUID.randomUUID().toString();
        String binarySubject = "order-b-" + run;
        String structuredSubject = "order-s-" + run;
        send(
                CLOUDEVENTS_TOPIC,
                "binary",
                "{\"total\": 9.5}",
                "ce_specversion",
                "1.0",
                "ce_id",
                "B-" + run,
                "ce_source",
                "/shop",
                "ce_type",
                "order.created",
                "ce_subject",
                binarySubject,
                "ce_time",
                "2026-11-28T10:00:00Z",
                "ce_region",
                "eu",
                "content-type",
                "application/json");
        send(
                CLOUDEVENTS_TOPIC,
                "bad-" + run,
                "{\"total\": 1}",
                "ce_specversion",
                "1.0",
                "ce_source",
                "/shop",
                "ce_type",
                "order.created",
                "content-type",
                "application/json");
        send(
                CLOUDEVENTS_TOPIC,
                "structured",
                "{\"specversion\": \"1.0\", \"id\": \"S-" + run + "\", \"source\": \"/shop\", \"type\":"
                        + " \"order.paid\", \"subject\": \"" + structuredSubject + "\", \"data\": {\"paid\": true}}",
                "content-type",
                "application/cloudevents+json; charset=UTF-8");

        EventEnvelope binary = awaitEvent("shop/" + binarySubject);
        assertThat(binary.getTenant()).isEqualTo("shop");
        assertThat(binary.getType()).isEqualTo("order.created");
        assertThat(binary.getSource()).isEqualTo("/shop");
        assertThat(binary.getProducerId()).isEqualTo("B-" + run);
        assertThat(binary.getTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(binary.getData()).isEqualTo("{\"total\":9.5}");
        assertThat(binary.getAttributes()).containsEntry("region", "eu");
        EventEnvelope structured = awaitEvent("shop/" + structuredSubject);
        assertThat(structured.getType()).isEqualTo("order.paid");
        assertThat(structured.getData()).isEqualTo("{\"paid\":true}");

        ConsumerRecord<String, byte[]> bad =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("bad-" + run));
        assertThat(header(bad, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("unreadable");
        assertThat(header(bad, KafkaHeaders.ERROR_MESSAGE))
                .isEqualTo("invalid_cloudevent: 'ce_id' is required (a non-empty string)");
        assertThat(header(bad, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(CLOUDEVENTS_TOPIC);
        assertThat(header(bad, "ce_source"))
                .as("a binary-mode event's attributes stay with its dead letter")
                .isEqualTo("/shop");
    }

    @Test
    void aCloudEventSentTwiceKeepsItsEventId() {
        String run = UUID.randomUUID().toString();
        String[] headers = {
            "ce_specversion", "1.0",
            "ce_id", "A-" + run,
            "ce_source", "/shop",
            "ce_type", "order.created",
            "ce_subject", "order-" + run
        };
        send(CLOUDEVENTS_TOPIC, "first", "{\"n\": 1}", headers);
        send(CLOUDEVENTS_TOPIC, "again", "{\"n\": 1}", headers);

        List<EventEnvelope> events = awaitEvents("shop/order-" + run, 2);
        assertThat(events.get(1).getId()).isEqualTo(events.get(0).getId());
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
