package io.campanello.subscription.api;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Follows webhooks.attempts from its end, so that a test send can answer with the outcome of its attempt. Only
 * deliveries someone waits for are looked at; nothing is kept otherwise.
 */
@Component
class AttemptWatcher extends ConsumerLoop {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<String, CompletableFuture<DeliveryAttempt>> waiting = new ConcurrentHashMap<>();
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();

    AttemptWatcher(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        super("attempt-watcher", kafka.buildConsumerProperties(), null);
        this.topic = properties.topics().attempts();
    }

    /** Call before the delivery is sent, so that its attempt cannot be missed. */
    CompletableFuture<DeliveryAttempt> await(String deliveryId) {
        positioned.join();
        return waiting.computeIfAbsent(deliveryId, id -> new CompletableFuture<>());
    }

    void forget(String deliveryId) {
        waiting.remove(deliveryId);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.complete(null);
        } catch (RuntimeException e) {
            positioned.completeExceptionally(e);
            throw e;
        }
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                CompletableFuture<DeliveryAttempt> future = record.key() == null ? null : waiting.remove(record.key());
                if (future != null) {
                    complete(future, record);
                }
            }
        }
    }

    private void complete(CompletableFuture<DeliveryAttempt> future, ConsumerRecord<String, byte[]> record) {
        try {
            future.complete(deserializer.deserialize(topic, record.value(), DeliveryAttempt.class));
        } catch (SerializationException e) {
            future.completeExceptionally(e);
        }
    }
}
