package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.DeliveryTask;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * The one way a task record comes in, whichever topic it was read from: a tombstone is skipped, bytes that are not a
 * delivery task go to the dead-letter topic with the reason in their headers (both counted in
 * {@code campanello_dispatcher_records_unreadable_total{topic,kind}}), and a task is dispatched. Nothing here
 * commits: a consumer moves past a record only once its future completed.
 */
@Component
class Intake {

    private final Dispatcher dispatcher;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final MeterRegistry meters;
    private final RetryPathCounts retryPath;
    private final String redeliveries;
    private final AvroDeserializer avro = new AvroDeserializer();

    Intake(
            Dispatcher dispatcher,
            DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry meters,
            RetryPathCounts retryPath,
            CampanelloKafkaProperties properties) {
        this.dispatcher = dispatcher;
        this.retryPath = retryPath;
        this.redeliveries = properties.topics().redeliveries();
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    /**
     * The record's task, or empty once a record without one was set aside (skipped or dead-lettered).
     *
     * @throws KafkaException when Kafka refused the dead letter: nothing was set aside, the record must be taken
     *     again later
     */
    Optional<DeliveryTask> take(ConsumerRecord<String, byte[]> record) {
        TaskRecord read = TaskRecord.read(avro, record.topic(), record.value());
        if (read instanceof TaskRecord.Task task) {
            return Optional.of(task.task());
        }
        String kind = "tombstone";
        if (read instanceof TaskRecord.Unreadable unreadable) {
            deadLetters.accept(record, unreadable.reason());
            kind = "undecodable";
        }
        meters.counter("campanello.dispatcher.records.unreadable", "topic", record.topic(), "kind", kind)
                .increment();
        return Optional.empty();
    }

    /** Whether the record asks to probe an open circuit at once (header {@link KafkaHeaders#PROBE}, a replay). */
    static boolean isProbe(ConsumerRecord<String, byte[]> record) {
        Header probe = record.headers().lastHeader(KafkaHeaders.PROBE);
        return probe != null
                && probe.value() != null
                && "true".equals(new String(probe.value(), StandardCharsets.UTF_8));
    }

    /**
     * Takes the record's task and dispatches it. The future completes when everything the delivery wrote is
     * acknowledged by Kafka, and fails when Kafka refused a write: the record must then be handled again. Empty when
     * {@code mayHoldBack} and the task's endpoint is full but keeps up: nothing was done, the record is to be read
     * again in a moment.
     */
    Optional<CompletableFuture<?>> deliver(ConsumerRecord<String, byte[]> record, boolean mayHoldBack) {
        try {
            Optional<DeliveryTask> task = take(record);
            if (task.isEmpty()) {
                return Optional.of(CompletableFuture.completedFuture(null));
            }
            Optional<CompletableFuture<?>> started = dispatcher.dispatch(task.get(), isProbe(record), mayHoldBack);
            Header path = record.headers().lastHeader(KafkaHeaders.RETRY_PATH);
            if (started.isPresent() && record.topic().equals(redeliveries) && path != null && path.value() != null) {
                retryPath.cameBack(
                        task.get().getSubscriptionId(),
                        !KafkaHeaders.RETRY_PATH_RETRY.equals(new String(path.value(), StandardCharsets.UTF_8)));
            }
            return started;
        } catch (RuntimeException e) {
            return Optional.of(CompletableFuture.failedFuture(e));
        }
    }
}
