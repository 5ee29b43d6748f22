package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.ReplayMark;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** A table keeps the meaning of a tombstone (a delete), goes past what it cannot read, counts it, and reads on. */
@EmbeddedKafka(partitions = 1)
class TopicTableIT {

    private static final byte[] UNKNOWN_SCHEMA = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 2, 'x', 0};

    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;
    private String topic;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {}

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        topic = "table-" + UUID.randomUUID();
        broker.addTopics(topic);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static byte[] mark(String id) {
        return new AvroSerializer()
                .serialize(
                        "t",
                        ReplayMark.newBuilder()
                                .setDeadLetterId(id)
                                .setJobId("rpl_test")
                                .setReplayedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                                .build());
    }

    private void write(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    @Test
    void aTombstoneDeletesItsRowAndUnreadableRecordsAreCountedAndGonePast() throws Exception {
        write("0-1", mark("0-1"));
        write("0-2", "random bytes".getBytes(StandardCharsets.UTF_8));
        write("0-3", UNKNOWN_SCHEMA);
        write("0-1", null);
        write(null, mark("0-9"));
        write("0-4", mark("0-4"));
        @SuppressWarnings("unchecked")
        TopicTable<ReplayMark>[] table = new TopicTable[1];
        service = new SpringApplicationBuilder(Service.class)
                .initializers((GenericApplicationContext context) -> context.registerBean(
                        "table",
                        TopicTable.class,
                        () -> table[0] = new TopicTable<>(
                                topic,
                                ReplayMark.class,
                                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                                Duration.ofSeconds(30))))
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.kafka.create-topics=false",
                        "--spring.main.banner-mode=off");

        assertThat(table[0].get("0-4")).isPresent();
        assertThat(table[0].get("0-1")).as("deleted by its tombstone").isEmpty();
        assertThat(table[0].get("0-2")).isEmpty();

        write("0-5", "more random bytes".getBytes(StandardCharsets.UTF_8));
        write("0-6", mark("0-6"));
        await().atMost(Duration.ofSeconds(30)).until(() -> table[0].get("0-6").isPresent());
        MeterRegistry meters = service.getBean(MeterRegistry.class);
        assertThat(meters.get(UnreadableRecords.METRIC)
                        .tags("topic", topic, "reason", UnreadableRecords.UNREADABLE)
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(meters.get(UnreadableRecords.METRIC)
                        .tags("topic", topic, "reason", UnreadableRecords.NO_KEY)
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}
