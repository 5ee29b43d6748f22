package io.campanello.subscription.api;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration POSITION_WAIT = Duration.ofSeconds(60);

    private final String topic;
    private final Map<String, CompletableFuture<DeliveryAttempt>> waiting = new ConcurrentHashMap<>();
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    /** Where reading stands, so that a fresh consumer after a failure misses no attempt someone waits for. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    AttemptWatcher(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        super("attempt-watcher", kafka.buildConsumerProperties(), null);
        this.topic = properties.topics().attempts();
    }

    /** Call before the delivery is sent, so that its attempt cannot be missed. */
    CompletableFuture<DeliveryAttempt> await(String deliveryId) {
        try {
            positioned.get(POSITION_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot follow " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to follow " + topic, e);
        }
        return waiting.computeIfAbsent(deliveryId, id -> new CompletableFuture<>());
    }

    void forget(String deliveryId) {
        waiting.remove(deliveryId);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long position = positions.get(partition);
            if (position == null) {
                consumer.seekToEnd(List.of(partition));
                positions.put(partition, consumer.position(partition));
            } else {
                consumer.seek(partition, position);
            }
        }
        positioned.complete(null);
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                CompletableFuture<DeliveryAttempt> future = record.key() == null ? null : waiting.get(record.key());
                DeliveryAttempt attempt = future == null ? null : read(record);
                if (attempt != null) {
                    waiting.remove(record.key());
                    future.complete(attempt);
                }
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
        }
    }

    /** The attempt, or null for a record that is none: the caller goes on waiting for its real attempt. */
    private DeliveryAttempt read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            unreadable(record, UnreadableRecords.TOMBSTONE);
            return null;
        }
        try {
            return deserializer.deserialize(topic, record.value(), DeliveryAttempt.class);
        } catch (SerializationException e) {
            unreadable(record, UnreadableRecords.UNREADABLE);
            return null;
        }
    }
}
