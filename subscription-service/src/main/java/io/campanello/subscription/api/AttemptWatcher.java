package io.campanello.subscription.api;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Follows webhooks.attempts while a test send waits for its attempt, so that it can answer with the outcome. Only
 * deliveries someone waits for are looked at, and nothing is read while no one waits: the partitions are paused, and
 * the first test send after a pause moves the reading to the end of the topic before its task is written (its attempt
 * can only come after it). Under load this saves reading every attempt of every delivery for nothing.
 */
@Component
class AttemptWatcher extends ConsumerLoop {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FOLLOW_WAIT = Duration.ofSeconds(60);

    private final String topic;
    private final Map<String, CompletableFuture<DeliveryAttempt>> waiting = new ConcurrentHashMap<>();
    /** Test sends waiting for the consumer to read from where their attempt will be. */
    private final Queue<CompletableFuture<Void>> followers = new ConcurrentLinkedQueue<>();

    private final AvroDeserializer deserializer = new AvroDeserializer();
    /** Where reading stands, so that a fresh consumer after a failure misses no attempt someone waits for. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    private final AtomicLong recordsRead = new AtomicLong();

    AttemptWatcher(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        super("attempt-watcher", kafka.buildConsumerProperties(), null);
        this.topic = properties.topics().attempts();
    }

    /** Call before the delivery is sent, so that its attempt cannot be missed. */
    CompletableFuture<DeliveryAttempt> await(String deliveryId) {
        CompletableFuture<DeliveryAttempt> attempt =
                waiting.computeIfAbsent(deliveryId, id -> new CompletableFuture<>());
        CompletableFuture<Void> following = new CompletableFuture<>();
        followers.add(following);
        try {
            following.get(FOLLOW_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            forget(deliveryId);
            throw new IllegalStateException("cannot follow " + topic, e);
        } catch (InterruptedException e) {
            forget(deliveryId);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to follow " + topic, e);
        }
        return attempt;
    }

    void forget(String deliveryId) {
        waiting.remove(deliveryId);
    }

    /** Records of webhooks.attempts read since the start. */
    long recordsRead() {
        return recordsRead.get();
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        // After a failure with test sends waiting: on from where the last consumer stood. Otherwise paused until one
        // comes, and then from the end.
        boolean paused = positions.isEmpty() || waiting.isEmpty();
        if (paused) {
            consumer.pause(partitions);
        } else {
            positions.forEach(consumer::seek);
        }
        List<CompletableFuture<Void>> follow = new ArrayList<>();
        while (running()) {
            for (CompletableFuture<Void> next = followers.poll(); next != null; next = followers.poll()) {
                follow.add(next);
            }
            if (!follow.isEmpty()) {
                if (paused) {
                    // No one waits but these, whose tasks are not written yet: what is on the topic is not theirs.
                    consumer.seekToEnd(partitions);
                    partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
                    consumer.resume(partitions);
                    paused = false;
                }
                follow.forEach(following -> following.complete(null));
                follow.clear();
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                recordsRead.incrementAndGet();
                CompletableFuture<DeliveryAttempt> future = record.key() == null ? null : waiting.get(record.key());
                DeliveryAttempt attempt = future == null ? null : read(record);
                if (attempt != null) {
                    waiting.remove(record.key());
                    future.complete(attempt);
                }
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (!paused && waiting.isEmpty()) {
                consumer.pause(partitions);
                paused = true;
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
