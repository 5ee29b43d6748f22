package io.campanello.subscription.api;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows webhooks.attempts from its end, so that a test send can answer with the outcome of its attempt. Only
 * deliveries someone waits for are looked at; nothing is kept otherwise.
 */
@Component
class AttemptWatcher implements SmartLifecycle {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Map<String, CompletableFuture<DeliveryAttempt>> waiting = new ConcurrentHashMap<>();
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;

    AttemptWatcher(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        this.topic = properties.topics().attempts();
        this.consumerConfig = kafka.buildConsumerProperties();
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
    public void start() {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        Thread thread = new Thread(this::follow, "attempt-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.complete(null);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    CompletableFuture<DeliveryAttempt> future =
                            record.key() == null ? null : waiting.remove(record.key());
                    if (future != null) {
                        complete(future, record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up
        } catch (RuntimeException e) {
            positioned.completeExceptionally(e);
        } finally {
            consumer.close();
        }
    }

    private void complete(CompletableFuture<DeliveryAttempt> future, ConsumerRecord<String, byte[]> record) {
        try {
            future.complete(deserializer.deserialize(topic, record.value(), DeliveryAttempt.class));
        } catch (SerializationException e) {
            future.completeExceptionally(e);
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
