package io.campanello.retry.replay;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Who runs which replay, decided by Kafka: the retry-service instances form the consumer group
 * {@value #GROUP_ID} on webhooks.replays (key = job id), and a job runs on the one member assigned its partition.
 * On assignment a partition is read from its start, and its running jobs are resumed once it is caught up; a job
 * written later (from any instance's API) starts when its record arrives. On revocation the partition's runners end
 * their batch and stop; when a member dies, its partitions move after the group's session timeout.
 */
@Component
class ReplayOwners extends ConsumerLoop {

    /** Consumer group of the replay owners; it commits no offsets, it only shares out the partitions. */
    static final String GROUP_ID = "campanello-replays";

    private static final Logger log = LoggerFactory.getLogger(ReplayOwners.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final ReplayJobs jobs;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final Map<TopicPartition, Owned> owned = new HashMap<>();

    /** A partition this instance owns: where it ended at assignment, and its jobs still running as read so far. */
    private static final class Owned {
        final long end;
        boolean caughtUp;
        final Map<String, ReplayJob> runningJobs = new HashMap<>();

        Owned(long end) {
            this.end = end;
        }
    }

    ReplayOwners(KafkaProperties kafkaProperties, CampanelloKafkaProperties properties, ReplayJobs jobs) {
        super("replay-owners", readCommitted(kafkaProperties.buildConsumerProperties()), GROUP_ID);
        this.topic = properties.topics().replays();
        this.jobs = jobs;
    }

    private static Map<String, Object> readCommitted(Map<String, Object> config) {
        Map<String, Object> copy = new HashMap<>(config);
        // A job's progress is written in its batches' transactions: an aborted batch's position is no position.
        copy.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return copy;
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        owned.clear();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                handOver(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                handOver(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                consumer.seekToBeginning(partitions);
                consumer.endOffsets(partitions).forEach((partition, end) -> owned.put(partition, new Owned(end)));
                log.info("replay partitions owned here partitions={}", partitions);
            }
        });
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                read(record);
            }
            owned.forEach((partition, state) -> {
                if (!state.caughtUp && consumer.position(partition) >= state.end) {
                    state.caughtUp = true;
                    state.runningJobs.values().forEach(job -> jobs.run(job, partition.partition()));
                }
            });
        }
    }

    /** Stopping hands the jobs over first: each runner ends its batch (see {@link ReplayJobs#handOver}). */
    @Override
    protected Duration stopTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected void failed(RuntimeException e) {
        handOver(List.copyOf(owned.keySet()));
        log.error("replay owner consumer failed; its replays are handed over", e);
    }

    private void handOver(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        log.info("replay partitions handed over partitions={}", partitions);
        jobs.handOver(partitions.stream().map(TopicPartition::partition).toList());
        partitions.forEach(owned::remove);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Owned state = owned.get(partition);
        if (state == null || record.key() == null) {
            return;
        }
        ReplayJob job = null;
        if (record.value() != null) {
            try {
                job = deserializer.deserialize(topic, record.value(), ReplayJob.class);
            } catch (SerializationException e) {
                unreadable(record, UnreadableRecords.UNREADABLE);
                return;
            }
        }
        if (job == null || job.getState() != ReplayState.RUNNING) {
            state.runningJobs.remove(record.key());
            jobs.over(record.key());
            return;
        }
        state.runningJobs.put(record.key(), job);
        if (state.caughtUp) {
            jobs.run(job, record.partition());
        }
    }
}
