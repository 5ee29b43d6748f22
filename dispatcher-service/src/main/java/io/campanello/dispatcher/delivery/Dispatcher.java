package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.RetrySchedule;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers one task: to a deleted subscription it becomes a dead letter; for a paused or disabled one it is parked;
 * otherwise one signed POST and one attempt record, and then the task is done, waits on a retry tier, or becomes a
 * dead letter. The returned future completes when everything it wrote is acknowledged by Kafka.
 */
@Component
class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final TopicTable<Subscription> subscriptions;
    private final Endpoints endpoints;
    private final Duration busyDelay;
    private final WebhookClient client;
    private final Requests requests;
    private final DeliveryRecords records;
    private final Clock clock;

    /** Subscriptions with parked tasks: their new tasks queue behind them to keep the order. */
    private final ParkedSubscriptions parked;

    Dispatcher(
            TopicTable<Subscription> subscriptions,
            Endpoints endpoints,
            DispatcherProperties properties,
            WebhookClient client,
            Requests requests,
            DeliveryRecords records,
            ParkedSubscriptions parked,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.endpoints = endpoints;
        this.busyDelay = properties.endpoint().busyDelay();
        this.client = client;
        this.requests = requests;
        this.records = records;
        this.parked = parked;
        this.clock = clock;
    }

    /**
     * A fresh task, a due retry or, when {@code probe}, the first delivery of a replay: an operator says the endpoint
     * works again, so an open circuit lets it through at once as its probe. Empty when {@code mayHoldBack} and the
     * task's endpoint is full but keeps up: nothing was written, and the caller offers the task again in a moment
     * (backpressure instead of a trip through the retry path); otherwise the future completes when everything the
     * task wrote is acknowledged by Kafka.
     */
    Optional<CompletableFuture<?>> dispatch(DeliveryTask task, boolean probe, boolean mayHoldBack) {
        Subscription subscription = subscriptions.get(task.getSubscriptionId()).orElse(null);
        if (subscription == null) {
            log.info(
                    "subscription gone delivery_id={} subscription_id={}",
                    task.getDeliveryId(),
                    task.getSubscriptionId());
            return Optional.of(records.deadLetter(task, DeadLetterReason.SUBSCRIPTION_DELETED));
        }
        if (!task.getTest() && (!isActive(subscription) || parked.hasParked(subscription.getId()))) {
            return Optional.of(records.park(task)
                    .thenAccept(sent -> parked.parked(
                            task.getSubscriptionId(),
                            sent.getRecordMetadata().partition(),
                            sent.getRecordMetadata().offset())));
        }
        return attempt(task, subscription, false, probe, mayHoldBack);
    }

    /** A parked task whose subscription is active again, in the order it was parked. */
    CompletableFuture<?> dispatchParked(DeliveryTask task, Subscription subscription) {
        return attempt(task, subscription, true, false, false).orElseThrow();
    }

    static boolean isActive(Subscription subscription) {
        return subscription.getStatus() == SubscriptionStatus.ACTIVE;
    }

    /**
     * Waits for a slot of the subscription's endpoint without holding up anything else: when the endpoint is full,
     * the task is held back if it keeps up (and {@code mayHoldBack}), else it goes to the retry path; an open circuit
     * sends it to the retry path until the circuit probes again. Neither counts as an attempt: only requests do. Test
     * sends skip the endpoint's limits and do not count toward its health.
     */
    private Optional<CompletableFuture<?>> attempt(
            DeliveryTask task, Subscription subscription, boolean inOrder, boolean probe, boolean mayHoldBack) {
        if (task.getTest()) {
            return Optional.of(send(task, subscription, null));
        }
        Endpoint endpoint = endpoints.of(subscription);
        Optional<CompletableFuture<Endpoint.Turn>> turn = endpoint.offer(subscription, inOrder, probe);
        if (turn.isPresent()) {
            return Optional.of(turn.get().thenCompose(granted -> taken(granted, task, subscription, endpoint)));
        }
        if (mayHoldBack && endpoint.keepsUp()) {
            return Optional.empty();
        }
        return Optional.of(busy(task));
    }

    private CompletableFuture<Void> taken(
            Endpoint.Turn granted, DeliveryTask task, Subscription subscription, Endpoint endpoint) {
        if (granted == Endpoint.Turn.SEND) {
            return send(task, subscription, endpoint);
        }
        return waitForProbe(task, endpoint).thenRun(() -> {});
    }

    private CompletableFuture<?> busy(DeliveryTask task) {
        return records.defer(task, RetrySchedule.wait(busyDelay, null, random()), "endpoint_busy");
    }

    /**
     * The endpoint's circuit is open: the task waits on the retry path until the circuit lets a probe through (plus
     * the busy delay, so that the deliveries deferred together do not all come back at that instant), keeping its
     * attempt count: a dead letter is never made of attempts that sent nothing.
     */
    private CompletableFuture<?> waitForProbe(DeliveryTask task, Endpoint endpoint) {
        Duration wait = endpoint.untilProbe().plus(RetrySchedule.wait(busyDelay, null, random()));
        return records.defer(task, wait, "circuit_open");
    }

    private CompletableFuture<Void> send(DeliveryTask task, Subscription subscription, Endpoint endpoint) {
        Instant started = clock.instant();
        CompletableFuture<WebhookClient.Attempted> response;
        try {
            response = client.post(requests.of(task, subscription, started)).toFuture();
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((attempted, error) -> {
                    Instant now = clock.instant();
                    WebhookClient.Attempted result = error == null ? attempted : WebhookClient.Attempted.failed(error);
                    // The endpoint is judged on its own answer time when known: this instance's work on the
                    // request (and its waits for a core) is not the endpoint's slowness.
                    Duration took = result.answeredIn() != null ? result.answeredIn() : Duration.between(started, now);
                    EndpointHealth changed =
                            endpoint == null ? null : endpoint.finished(subscription, result.outcome(), took, now);
                    return attempted(task, subscription, result, started, changed);
                })
                .thenCompose(written -> written);
    }

    private CompletableFuture<Void> attempted(
            DeliveryTask task,
            Subscription subscription,
            WebhookClient.Attempted response,
            Instant started,
            EndpointHealth changed) {
        DeliveryOutcome outcome = response.outcome();
        DeliveryTask attempted = DeliveryTask.newBuilder(task)
                .setAttempts(task.getAttempts() + 1)
                .setFirstAttemptAt(task.getFirstAttemptAt() != null ? task.getFirstAttemptAt() : started)
                .setLastAttemptAt(started)
                .setNotBefore(null)
                .setLastStatus(outcome.status())
                .setLastError(outcome.error())
                .build();
        CompletableFuture<?> recorded = records.attempt(attempted, subscription.getUrl(), response, started);
        CompletableFuture<?> health =
                changed == null ? CompletableFuture.completedFuture(null) : records.health(changed);
        if (changed != null) {
            log.info(
                    "endpoint {} subscription_id={} failures={} last_status={} last_error={}",
                    changed.getState().name().toLowerCase(Locale.ROOT),
                    changed.getSubscriptionId(),
                    changed.getConsecutiveFailures(),
                    changed.getLastStatus(),
                    changed.getLastError());
        }
        return CompletableFuture.allOf(recorded, health, next(attempted, outcome));
    }

    private static double random() {
        return ThreadLocalRandom.current().nextDouble();
    }

    private CompletableFuture<?> next(DeliveryTask task, DeliveryOutcome outcome) {
        if (outcome.kind() == AttemptOutcome.DELIVERED || task.getTest()) {
            return CompletableFuture.completedFuture(null);
        }
        if (outcome.kind() == AttemptOutcome.PERMANENT) {
            log.info("permanent failure delivery_id={} status={}", task.getDeliveryId(), task.getLastStatus());
            return records.deadLetter(task, DeadLetterReason.PERMANENT_STATUS);
        }
        return records.retry(task, outcome.retryAfter())
                .<CompletableFuture<?>>map(retry -> {
                    log.info(
                            "attempt failed, retrying delivery_id={} attempt={} status={} error={} in={}",
                            task.getDeliveryId(),
                            task.getAttempts(),
                            task.getLastStatus(),
                            task.getLastError(),
                            retry.waitsFor());
                    return retry.written();
                })
                .orElseGet(() -> {
                    log.info("retries exhausted delivery_id={} attempts={}", task.getDeliveryId(), task.getAttempts());
                    return records.deadLetter(task, DeadLetterReason.EXHAUSTED);
                });
    }
}
