package io.campanello.retry.replay;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.ReplayJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a job's last committed state from webhooks.replays. Whoever takes a job (its new owner, or a cancel) first
 * fences the job's transactional id, then reads here: after the fence no earlier holder can commit, so what is read
 * is where the job really stands.
 */
final class ReplayLog {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ReplayLog() {}

    /** The partition of webhooks.replays a job's records go to (Kafka's default partitioner for a keyed record). */
    static int partitionOf(String jobId, int partitions) {
        return BuiltInPartitioner.partitionForKey(jobId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The job as last committed, or empty when the topic does not hold it (deleted, or unreadable). */
    static Optional<ReplayJob> latest(Map<String, Object> consumerConfig, String topic, String jobId) {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer deserializer = new AvroDeserializer();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic, TIMEOUT).size();
            TopicPartition partition = new TopicPartition(topic, partitionOf(jobId, partitions));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            ReplayJob latest = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " within " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!jobId.equals(record.key())) {
                        continue;
                    }
                    latest = read(deserializer, topic, record.value(), latest);
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    private static ReplayJob read(AvroDeserializer deserializer, String topic, byte[] value, ReplayJob previous) {
        if (value == null) {
            return null;
        }
        try {
            return deserializer.deserialize(topic, value, ReplayJob.class);
        } catch (SerializationException e) {
            return previous;
        }
    }
}
