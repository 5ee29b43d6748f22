package io.campanello.retry.deadletter;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/** Reads one dead letter back from webhooks.dlq by its id, {@code <partition>-<offset>}. */
@Component
class DeadLetterReader {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final AvroDeserializer deserializer = new AvroDeserializer();

    DeadLetterReader(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        this.topic = properties.topics().dlq();
        this.consumerConfig = kafka.buildConsumerProperties();
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
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return readable(record);
                    }
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
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
