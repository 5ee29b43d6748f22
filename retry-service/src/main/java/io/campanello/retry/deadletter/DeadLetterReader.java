package io.campanello.retry.deadletter;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Reads one dead letter back from webhooks.dlq by its id, {@code <partition>-<offset>}. One consumer serves every
 * read, one at a time (a read is a seek and a fetch), so concurrent requests never open a consumer each.
 */
@Component
class DeadLetterReader implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final ReentrantLock lock = new ReentrantLock();
    private final Counter opened;
    private KafkaConsumer<String, byte[]> consumer;

    DeadLetterReader(KafkaProperties kafka, CampanelloKafkaProperties properties, MeterRegistry meters) {
        this.topic = properties.topics().dlq();
        this.consumerConfig = kafka.buildConsumerProperties();
        this.opened = meters.counter("campanello.dead_letters.reader.consumers.opened");
    }

    Optional<DeadLetter> read(String id) {
        String[] parts = id.split("-");
        if (parts.length != 2) {
            return Optional.empty();
        }
        TopicPartition partition;
        long offset;
        try {
            partition = new TopicPartition(topic, Integer.parseInt(parts[0]));
            offset = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        lock.lock();
        try {
            return read(partition, offset);
        } catch (KafkaException e) {
            // A consumer that failed is not trusted again: the next read opens a fresh one.
            closeConsumer();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private Optional<DeadLetter> read(TopicPartition partition, long offset) {
        KafkaConsumer<String, byte[]> reader = consumer();
        reader.assign(List.of(partition));
        reader.seek(partition, offset);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.offset() == offset) {
                    return readable(record);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        if (consumer == null) {
            Properties config = new Properties();
            config.putAll(consumerConfig);
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            opened.increment();
        }
        return consumer;
    }

    private void closeConsumer() {
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            consumer = null;
        }
    }

    /** Closes the shared consumer when the service stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            closeConsumer();
        } finally {
            lock.unlock();
        }
    }

    /** The dead letter, or nothing for a record that is none (listed as unreadable, never replayable). */
    private Optional<DeadLetter> readable(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.ofNullable(deserializer.deserialize(topic, record.value(), DeadLetter.class));
        } catch (SerializationException e) {
            return Optional.empty();
        }
    }
}
