package io.campanello.subscription.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.subscription.SubscriptionApplication;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The subscription service follows webhooks.attempts only while a test send waits for its attempt: under load, the
 * attempts of every other delivery are not read (nor fetched from the broker) for nothing.
 */
// As many partitions as the service creates (campanello.kafka.partitions, 3): with fewer, the service adds partitions
// while it starts, and the watcher may begin on a partition the broker is still creating (a CI run read 34 fewer).
@EmbeddedKafka(
        partitions = 3,
        topics = {Topics.ATTEMPTS})
class AttemptWatcherIT {

    private static final int OTHERS = 2_000;

    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = SubscriptionApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.api.key=cmp_watcher_test",
                        "--campanello.secrets.key=" + SecretCipher.generateKey(),
                        "--campanello.matcher.state-dir=target/matcher-" + UUID.randomUUID(),
                        "--spring.main.banner-mode=off");
        producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        service.close();
    }

    @Test
    void attemptsNoTestSendWaitsForAreNotReadAndAWaitingOneStillGetsItsOwn() throws Exception {
        AttemptWatcher watcher = service.getBean(AttemptWatcher.class);

        others();
        var first = watcher.await("dlv-first");
        producer.send(attempt("dlv-first")).get();
        assertThat(first.get(30, TimeUnit.SECONDS).getDeliveryId()).isEqualTo("dlv-first");

        others();
        var second = watcher.await("dlv-second");
        others(); // written after the test send's task: read, while it waits
        producer.send(attempt("dlv-second")).get();
        assertThat(second.get(30, TimeUnit.SECONDS).getDeliveryId()).isEqualTo("dlv-second");

        assertThat(watcher.recordsRead())
                .as("only what was written while a test send waited: its attempt, and the others after its task")
                .isEqualTo(1 + OTHERS + 1);
    }

    /** Attempts of other deliveries, acknowledged by the broker before this returns. */
    private void others() {
        for (int i = 0; i < OTHERS; i++) {
            producer.send(attempt("dlv-other-" + UUID.randomUUID()));
        }
        producer.flush();
    }

    private ProducerRecord<String, byte[]> attempt(String deliveryId) {
        DeliveryAttempt attempt = DeliveryAttempt.newBuilder()
                .setDeliveryId(deliveryId)
                .setSubscriptionId("sub-watched")
                .setTenant("t")
                .setEventId("evt-" + deliveryId)
                .setEventType("order.created")
                .setAttempt(1)
                .setUrl("https://93.184.215.14/orders")
                .setStartedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setDurationMillis(3)
                .setOutcome(AttemptOutcome.DELIVERED)
                .setStatus(200)
                .build();
        return new ProducerRecord<>(
                Topics.ATTEMPTS, deliveryId, new AvroSerializer().serialize(Topics.ATTEMPTS, attempt));
    }
}
