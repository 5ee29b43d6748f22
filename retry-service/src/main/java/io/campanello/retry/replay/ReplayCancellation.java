package io.campanello.retry.replay;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayState;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cancels a job from any instance, whichever owns it: takes the job's transactional id (which aborts the owner's
 * open batch and fences it, so it sends nothing more), then commits the job as it last stood, CANCELLED.
 */
final class ReplayCancellation {

    private static final int ATTEMPTS = 5;

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final String topic;
    private final Clock clock;

    ReplayCancellation(
            Map<String, Object> consumerConfig, Map<String, Object> producerConfig, String topic, Clock clock) {
        this.consumerConfig = consumerConfig;
        this.producerConfig = producerConfig;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * The job as it ends: CANCELLED, or as it was when it had already ended. A runner starting at the same moment
     * may take the id between this one's fence and its commit: then the cancel fences it in turn and tries again.
     */
    ReplayJob cancel(ReplayJob job) {
        for (int attempt = 1; ; attempt++) {
            try {
                return cancelOnce(job);
            } catch (KafkaException e) {
                if (!ReplayRunner.isFenced(e) || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ReplayJob cancelOnce(ReplayJob job) {
        Properties properties = new Properties();
        properties.putAll(producerConfig);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ReplayRunner.transactionalId(job.getId()));
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer =
                new KafkaProducer<String, SpecificRecord>(properties, new StringSerializer(), new AvroSerializer())) {
            producer.initTransactions();
            ReplayJob latest =
                    ReplayLog.latest(consumerConfig, topic, job.getId()).orElse(job);
            if (latest.getState() != ReplayState.RUNNING) {
                return latest;
            }
            ReplayJob cancelled = ReplayJob.newBuilder(latest)
                    .setState(ReplayState.CANCELLED)
                    .setFinishedAt(clock.instant())
                    .build();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, cancelled.getId(), cancelled));
            producer.commitTransaction();
            return cancelled;
        }
    }
}
