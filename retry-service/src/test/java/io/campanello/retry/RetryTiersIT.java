package io.campanello.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Tasks wait on their tier until due, then go back to the dispatcher; nothing early, nothing lost, nothing stuck. */
@EmbeddedKafka(partitions = 1)
class RetryTiersIT {

    private static final String TIER = "webhooks.retry.2s";

    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = RetryApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.kafka.retry-delays=2s,4s",
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private static DeliveryTask task(String subscriptionId, Instant notBefore) {
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant("default")
                .setType("order.created")
                .setTime(Instant.now())
                .setReceivedAt(Instant.now())
                .build();
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscriptionId))
                .setSubscriptionId(subscriptionId)
                .setTenant("default")
                .setEvent(event)
                .setAttempts(1)
                .setNotBefore(notBefore)
                .build();
    }

    private List<ConsumerRecord<String, byte[]>> follow(
            KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> into) {
        consumer.poll(Duration.ofMillis(100)).forEach(into::add);
        return into;
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Test
    void handsEachTaskBackAtItsOwnDueTimeEvenWhenALaterAppendedTaskIsDueFirst() {
        String subscription = Ids.newSubscriptionId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // Avro keeps milliseconds
        // Appended out of due order (retries are jittered): a tier that waited for its head would hand the two
        // later-appended tasks back only once the head is due.
        DeliveryTask head = task(subscription, now.plusMillis(6000));
        DeliveryTask first = task(subscription, now.plusMillis(1500));
        DeliveryTask second = task(subscription, now.plusMillis(3000));
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer())) {
            List.of(head, first, second).forEach(task -> producer.send(new ProducerRecord<>(TIER, subscription, task)));
        }

        List<ConsumerRecord<String, byte[]>> arrivals = new CopyOnWriteArrayList<>();
        try (var consumer = consumer(Topics.REDELIVERIES)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> follow(consumer, arrivals).stream()
                                    .filter(a -> subscription.equals(a.key()))
                                    .count()
                            == 3);
        }
        AvroDeserializer avro = new AvroDeserializer();
        List<ConsumerRecord<String, byte[]>> mine =
                arrivals.stream().filter(r -> subscription.equals(r.key())).toList();
        List<DeliveryTask> handedBack = mine.stream()
                .map(r -> avro.deserialize(Topics.REDELIVERIES, r.value(), DeliveryTask.class))
                .toList();
        assertThat(handedBack).as("as they were written").containsExactlyInAnyOrder(head, first, second);
        assertThat(handedBack)
                .extracting(DeliveryTask::getDeliveryId)
                .as("in due order")
                .containsExactly(first.getDeliveryId(), second.getDeliveryId(), head.getDeliveryId());
        for (int i = 0; i < 3; i++) {
            // The hand-back record's timestamp is when the tier wrote it, on the same clock as the due time.
            Instant handedBackAt = Instant.ofEpochMilli(mine.get(i).timestamp());
            assertThat(handedBackAt)
                    .as("never early")
                    .isAfterOrEqualTo(handedBack.get(i).getNotBefore());
        }
        assertThat(Instant.ofEpochMilli(mine.get(1).timestamp()))
                .as("the later-appended tasks do not wait for the head")
                .isBefore(head.getNotBefore());
    }

    @Test
    void anUnreadableRecordOnATierIsDeadLetteredAndTheTierGoesOn() {
        String subscription = Ids.newSubscriptionId();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TIER, subscription, "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    TIER, subscription, new AvroSerializer().serialize(TIER, task(subscription, Instant.now()))));
        }

        List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<String, byte[]>> handedBack = new CopyOnWriteArrayList<>();
        try (var dlq = consumer(Topics.DLQ);
                var redeliveries = consumer(Topics.REDELIVERIES)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                follow(dlq, deadLetters);
                follow(redeliveries, handedBack);
                return deadLetters.stream().anyMatch(a -> subscription.equals(a.key()))
                        && handedBack.stream().anyMatch(a -> subscription.equals(a.key()));
            });
        }
        ConsumerRecord<String, byte[]> deadLetter = deadLetters.stream()
                .filter(a -> subscription.equals(a.key()))
                .findFirst()
                .orElseThrow();
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(new String(
                        deadLetter
                                .headers()
                                .lastHeader(KafkaHeaders.DEAD_LETTER_REASON)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("unreadable");
        assertThat(new String(
                        deadLetter
                                .headers()
                                .lastHeader(KafkaHeaders.ORIGINAL_TOPIC)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(TIER);
    }

    @Test
    void aTaskHandedBackBeforeTheOneAheadOfItIsNotHandedBackAgainByTheNextOwnerOfItsPartition() {
        String subscription = Ids.newSubscriptionId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // The head holds the committed offset back while the task behind it is handed back; the service then stops
        // (as in a rolling restart) and its successor reads the partition from the head again.
        DeliveryTask head = task(subscription, now.plusMillis(8000));
        DeliveryTask early = task(subscription, now.plusMillis(500));
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer())) {
            List.of(head, early).forEach(task -> producer.send(new ProducerRecord<>(TIER, subscription, task)));
        }
        AvroDeserializer avro = new AvroDeserializer();
        List<ConsumerRecord<String, byte[]>> arrivals = new CopyOnWriteArrayList<>();
        try (var consumer = consumer(Topics.REDELIVERIES)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> follow(consumer, arrivals).stream().anyMatch(r -> subscription.equals(r.key())));
            service.close();
            start(broker);
            // The head is the marker: once it is handed back, the successor has read past the early task.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> follow(consumer, arrivals).stream()
                            .filter(r -> subscription.equals(r.key()))
                            .map(r -> avro.deserialize(Topics.REDELIVERIES, r.value(), DeliveryTask.class))
                            .anyMatch(head::equals));
        }
        assertThat(arrivals.stream()
                        .filter(r -> subscription.equals(r.key()))
                        .map(r -> avro.deserialize(Topics.REDELIVERIES, r.value(), DeliveryTask.class)
                                .getDeliveryId()))
                .as("each task handed back once across the hand-over")
                .containsExactly(early.getDeliveryId(), head.getDeliveryId());
    }
}
