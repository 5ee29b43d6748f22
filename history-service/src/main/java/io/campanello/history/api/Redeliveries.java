package io.campanello.history.api;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryTask;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands a delivery back to the dispatcher on webhooks.redeliveries, the way a replay of a dead letter does: the same
 * delivery id (so the same {@code webhook-id}), attempts from 0 and a fresh retry schedule, marked as a probe so an
 * open circuit lets it through at once (an operator redelivers because the endpoint works again).
 */
@Component
class Redeliveries {

    private static final long ACK_SECONDS = 30;

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;

    Redeliveries(KafkaTemplate<String, SpecificRecord> kafka, CampanelloKafkaProperties properties) {
        this.kafka = kafka;
        this.topic = properties.topics().redeliveries();
    }

    /** Returns once Kafka acknowledged the task. */
    void send(DeliveryHistory history) {
        DeliveryTask task = DeliveryTask.newBuilder()
                .setDeliveryId(history.getDeliveryId())
                .setSubscriptionId(history.getSubscriptionId())
                .setTenant(history.getTenant())
                .setEvent(history.getEvent())
                .setAttempts(0)
                .setTest(false)
                .build();
        var record = new ProducerRecord<String, SpecificRecord>(topic, task.getSubscriptionId(), task);
        record.headers().add(KafkaHeaders.PROBE, "true".getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(record).get(ACK_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the redelivery was not acknowledged by Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redelivering", e);
        }
    }
}
