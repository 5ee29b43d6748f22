package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.RetrySchedule;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Everything the dispatcher writes: attempts, tasks waiting on a retry tier, parked tasks and dead letters. */
@Component
class DeliveryRecords {

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final RetrySchedule schedule;
    private final Clock clock;

    DeliveryRecords(KafkaTemplate<String, SpecificRecord> kafka, CampanelloKafkaProperties properties, Clock clock) {
        this.kafka = kafka;
        this.topics = properties.topics();
        this.schedule = properties.retrySchedule();
        this.clock = clock;
    }

    CompletableFuture<?> attempt(
            DeliveryTask task, String url, AttemptOutcome outcome, Integer status, String error, Instant started) {
        DeliveryAttempt attempt = DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(task.getAttempts())
                .setUrl(url)
                .setStartedAt(started)
                .setDurationMillis(Duration.between(started, clock.instant()).toMillis())
                .setOutcome(outcome)
                .setStatus(status)
                .setError(error)
                .build();
        return kafka.send(topics.attempts(), task.getDeliveryId(), attempt);
    }

    /** Puts the task on the tier of its attempt count; empty when the schedule is exhausted. */
    Optional<CompletableFuture<?>> retry(DeliveryTask task) {
        return schedule.tierAfter(task.getAttempts()).map(tier -> {
            DeliveryTask waiting = DeliveryTask.newBuilder(task)
                    .setNotBefore(clock.instant().plus(tier.delay()))
                    .build();
            return kafka.send(tier.topic(), task.getSubscriptionId(), waiting);
        });
    }

    Duration delayAfter(int attempts) {
        return schedule.tierAfter(attempts).map(RetrySchedule.RetryTier::delay).orElse(Duration.ZERO);
    }

    CompletableFuture<?> park(DeliveryTask task) {
        return kafka.send(topics.parked(), task.getSubscriptionId(), task);
    }

    CompletableFuture<?> deadLetter(DeliveryTask task, DeadLetterReason reason) {
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setTask(task)
                .setReason(reason)
                .setDeadAt(clock.instant())
                .build();
        var record = new ProducerRecord<String, SpecificRecord>(topics.dlq(), task.getSubscriptionId(), deadLetter);
        record.headers().add(KafkaHeaders.DEAD_LETTER_REASON, utf8(reason.name().toLowerCase(Locale.ROOT)));
        record.headers().add(KafkaHeaders.ATTEMPTS, utf8(Integer.toString(task.getAttempts())));
        record.headers().add(KafkaHeaders.TENANT, utf8(task.getTenant()));
        if (task.getLastStatus() != null) {
            record.headers()
                    .add(KafkaHeaders.LAST_STATUS, utf8(task.getLastStatus().toString()));
        }
        if (task.getLastError() != null) {
            record.headers().add(KafkaHeaders.ERROR_CLASS, utf8(task.getLastError()));
        }
        return kafka.send(record);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
