package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.RetrySchedule;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.Subscription;
import io.campanello.signature.Webhook;
import io.campanello.signature.WebhookHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Delivers one task: one signed POST, one attempt record, and then the task is done, waits on a retry tier, or
 * becomes a dead letter. The returned future completes when everything it wrote is acknowledged by Kafka.
 */
@Component
class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final String USER_AGENT = "Campanello-Webhooks/1.0";

    private final TopicTable<Subscription> subscriptions;
    private final WebhookClient client;
    private final Payloads payloads;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final RetrySchedule schedule;
    private final Clock clock;

    Dispatcher(
            TopicTable<Subscription> subscriptions,
            WebhookClient client,
            Payloads payloads,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.client = client;
        this.payloads = payloads;
        this.kafka = kafka;
        this.topics = properties.topics();
        this.schedule = properties.retrySchedule();
        this.clock = clock;
    }

    CompletableFuture<?> dispatch(DeliveryTask task) {
        Subscription subscription = subscriptions.get(task.getSubscriptionId()).orElse(null);
        if (subscription == null) {
            log.info(
                    "subscription gone delivery_id={} subscription_id={}",
                    task.getDeliveryId(),
                    task.getSubscriptionId());
            return deadLetter(task, DeadLetterReason.SUBSCRIPTION_DELETED);
        }
        byte[] body = payloads.json(task.getEvent());
        Instant started = clock.instant();
        DeliveryOutcome outcome = client.post(
                        URI.create(subscription.getUrl()), headers(task, subscription, body, started), body)
                .block();
        Instant finished = clock.instant();
        DeliveryTask attempted = DeliveryTask.newBuilder(task)
                .setAttempts(task.getAttempts() + 1)
                .setFirstAttemptAt(task.getFirstAttemptAt() != null ? task.getFirstAttemptAt() : started)
                .setLastAttemptAt(started)
                .setNotBefore(null)
                .setLastStatus(status(outcome))
                .setLastError(error(outcome))
                .build();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        writes.add(recordAttempt(attempted, subscription, outcome, started, Duration.between(started, finished)));
        writes.add(next(attempted, outcome, finished));
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> next(DeliveryTask task, DeliveryOutcome outcome, Instant now) {
        if (outcome instanceof DeliveryOutcome.Delivered delivered) {
            log.debug("delivered delivery_id={} status={}", task.getDeliveryId(), delivered.status());
            return CompletableFuture.completedFuture(null);
        }
        if (outcome instanceof DeliveryOutcome.PermanentFailure) {
            log.info("permanent failure delivery_id={} status={}", task.getDeliveryId(), task.getLastStatus());
            return deadLetter(task, DeadLetterReason.PERMANENT_STATUS);
        }
        return schedule.tierAfter(task.getAttempts())
                .<CompletableFuture<?>>map(tier -> {
                    log.info(
                            "attempt failed, retrying delivery_id={} attempt={} status={} error={} in={}",
                            task.getDeliveryId(),
                            task.getAttempts(),
                            task.getLastStatus(),
                            task.getLastError(),
                            tier.delay());
                    DeliveryTask waiting = DeliveryTask.newBuilder(task)
                            .setNotBefore(now.plus(tier.delay()))
                            .build();
                    return kafka.send(tier.topic(), task.getSubscriptionId(), waiting);
                })
                .orElseGet(() -> {
                    log.info("retries exhausted delivery_id={} attempts={}", task.getDeliveryId(), task.getAttempts());
                    return deadLetter(task, DeadLetterReason.EXHAUSTED);
                });
    }

    private CompletableFuture<?> deadLetter(DeliveryTask task, DeadLetterReason reason) {
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

    private CompletableFuture<?> recordAttempt(
            DeliveryTask task, Subscription subscription, DeliveryOutcome outcome, Instant started, Duration took) {
        DeliveryAttempt attempt = DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(task.getAttempts())
                .setUrl(subscription.getUrl())
                .setStartedAt(started)
                .setDurationMillis(took.toMillis())
                .setOutcome(attemptOutcome(outcome))
                .setStatus(status(outcome))
                .setError(error(outcome))
                .build();
        return kafka.send(topics.attempts(), task.getDeliveryId(), attempt);
    }

    private static Map<String, String> headers(DeliveryTask task, Subscription subscription, byte[] body, Instant now) {
        long timestamp = now.getEpochSecond();
        String signature = new Webhook(subscription.getSecret()).sign(task.getDeliveryId(), timestamp, body);
        return Map.of(
                "content-type",
                "application/json",
                "user-agent",
                USER_AGENT,
                WebhookHeaders.ID,
                task.getDeliveryId(),
                WebhookHeaders.TIMESTAMP,
                Long.toString(timestamp),
                WebhookHeaders.SIGNATURE,
                signature);
    }

    private static AttemptOutcome attemptOutcome(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            return AttemptOutcome.DELIVERED;
        }
        if (outcome instanceof DeliveryOutcome.PermanentFailure) {
            return AttemptOutcome.PERMANENT;
        }
        return AttemptOutcome.RETRYABLE;
    }

    private static Integer status(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered delivered) {
            return delivered.status();
        }
        if (outcome instanceof DeliveryOutcome.RetryableFailure failure) {
            return failure.status();
        }
        return ((DeliveryOutcome.PermanentFailure) outcome).status();
    }

    private static String error(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.RetryableFailure failure) {
            return failure.error();
        }
        if (outcome instanceof DeliveryOutcome.PermanentFailure failure) {
            return failure.error();
        }
        return null;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
