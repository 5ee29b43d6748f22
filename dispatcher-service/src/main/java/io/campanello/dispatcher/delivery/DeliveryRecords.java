package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.RetrySchedule;
import io.campanello.kafka.SubscriptionPartition;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EndpointHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Everything the dispatcher writes: attempts, tasks waiting on a retry tier, parked tasks and dead letters; and the
 * metrics of them ({@code campanello_deliveries_total{outcome}}, {@code campanello_delivery_http_duration_seconds}
 * of each request, {@code campanello_delivery_latency_seconds} from
 * acceptance to delivery, {@code campanello_dead_letters_total{reason}}).
 */
@Component
class DeliveryRecords {

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final RetrySchedule schedule;
    private final String firstTier;
    private final Clock clock;
    private final RetryPathCounts retryPath;
    private final MeterRegistry meters;
    private final Timer latency;
    private final Timer httpDuration;
    /** Counters by outcome, looked up once rather than by tag on every attempt. */
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();

    DeliveryRecords(
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            Clock clock,
            RetryPathCounts retryPath,
            MeterRegistry meters) {
        this.kafka = kafka;
        this.retryPath = retryPath;
        this.topics = properties.topics();
        this.schedule = properties.retrySchedule();
        this.firstTier = schedule.tierAfter(1).orElseThrow().topic();
        this.clock = clock;
        this.meters = meters;
        this.httpDuration = Timer.builder("campanello.delivery.http.duration")
                .description("From sending a request to an endpoint to its answer (or the error)")
                .publishPercentileHistogram()
                .register(meters);
        this.latency = Timer.builder("campanello.delivery.latency")
                .description("From the event's acceptance to its delivery (2xx)")
                .publishPercentileHistogram()
                .register(meters);
    }

    CompletableFuture<?> attempt(DeliveryTask task, String url, WebhookClient.Attempted attempted, Instant started) {
        AttemptOutcome outcome = attempted.outcome().kind();
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
                .setStatus(attempted.outcome().status())
                .setError(attempted.outcome().error())
                .setResponseHeaders(attempted.headers())
                .setResponseBody(attempted.body())
                .setErrorDetail(attempted.errorDetail())
                .build();
        deliveries
                .computeIfAbsent(
                        outcome.name().toLowerCase(Locale.ROOT),
                        name -> meters.counter("campanello.deliveries", "outcome", name))
                .increment();
        httpDuration.record(Duration.ofMillis(attempt.getDurationMillis()));
        if (outcome == AttemptOutcome.DELIVERED && !task.getTest()) {
            latency.record(Duration.between(task.getEvent().getReceivedAt(), clock.instant()));
        }
        // Keyed by delivery id, in the partition of the subscription: beside its deliveries, so the history reads
        // them together without re-keying them through a topic of its own.
        int partition = SubscriptionPartition.of(
                task.getSubscriptionId(), kafka.partitionsFor(topics.attempts()).size());
        return kafka.send(topics.attempts(), partition, task.getDeliveryId(), attempt);
    }

    /**
     * Puts the task on the tier of its attempt count (a later one if the receiver asked to wait longer), due after
     * the tier's delay with jitter; empty when the schedule is exhausted.
     */
    Optional<Retry> retry(DeliveryTask task, Duration retryAfter) {
        return schedule.placeAfter(task.getAttempts(), retryAfter).map(placement -> {
            Duration wait = RetrySchedule.wait(
                    placement.tier().delay(),
                    retryAfter,
                    ThreadLocalRandom.current().nextDouble());
            DeliveryTask waiting = DeliveryTask.newBuilder(task)
                    .setAttempts(placement.attempts())
                    .setNotBefore(clock.instant().plus(wait))
                    .build();
            var record = new ProducerRecord<String, SpecificRecord>(
                    placement.tier().topic(), task.getSubscriptionId(), waiting);
            record.headers().add(KafkaHeaders.RETRY_PATH, utf8(KafkaHeaders.RETRY_PATH_RETRY));
            retryPath.retrying(task.getSubscriptionId());
            return new Retry(kafka.send(record), wait);
        });
    }

    /** A task written to a retry tier, and how long it waits there. */
    record Retry(CompletableFuture<?> written, Duration waitsFor) {}

    /**
     * Puts a task that was not attempted (its endpoint was busy, or its circuit open) on the first retry tier, due
     * after {@code wait}; it keeps its attempt count. Counted in {@code campanello_deliveries_deferred_total{reason}}.
     */
    CompletableFuture<?> defer(DeliveryTask task, Duration wait, String reason) {
        meters.counter("campanello.deliveries.deferred", "reason", reason).increment();
        DeliveryTask waiting = DeliveryTask.newBuilder(task)
                .setNotBefore(clock.instant().plus(wait))
                .build();
        var record = new ProducerRecord<String, SpecificRecord>(firstTier, task.getSubscriptionId(), waiting);
        record.headers().add(KafkaHeaders.RETRY_PATH, utf8(reason));
        retryPath.deferred(task.getSubscriptionId());
        return kafka.send(record);
    }

    /** An endpoint's new state, for the subscription service to tell the owner or disable the subscription. */
    CompletableFuture<?> health(EndpointHealth health) {
        return kafka.send(topics.endpointHealth(), health.getSubscriptionId(), health);
    }

    CompletableFuture<SendResult<String, SpecificRecord>> park(DeliveryTask task) {
        return kafka.send(topics.parked(), task.getSubscriptionId(), task);
    }

    CompletableFuture<?> deadLetter(DeliveryTask task, DeadLetterReason reason) {
        meters.counter("campanello.dead.letters", "reason", reason.name().toLowerCase(Locale.ROOT))
                .increment();
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
        if (task.getFirstAttemptAt() != null) {
            record.headers()
                    .add(
                            KafkaHeaders.FIRST_ATTEMPT_AT,
                            utf8(task.getFirstAttemptAt().toString()));
        }
        if (task.getLastAttemptAt() != null) {
            record.headers()
                    .add(
                            KafkaHeaders.LAST_ATTEMPT_AT,
                            utf8(task.getLastAttemptAt().toString()));
        }
        return kafka.send(record);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
