package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One subscription's endpoint as this dispatcher instance sees it: its request slots and the deliveries waiting for
 * them, its optional rate limit, its circuit, and its health. A full endpoint that {@link #keepsUp() keeps up} makes
 * the consumer hold its records back in Kafka for a moment (backpressure); a slow or dead one holds only its own
 * slots: what does not fit into its queue waits on the retry path, and while its circuit is open its deliveries go
 * there at once.
 */
final class Endpoint {

    /** What a waiting delivery is told when its turn comes. */
    enum Turn {
        /** Send the request; a slot is held until {@link #finished} is called. */
        SEND,
        /**
         * The circuit is open: no request and no attempt counted; the delivery waits for the probe on the retry path
         * ({@link #untilProbe}).
         */
        CIRCUIT_OPEN
    }

    /** Weight of the newest answer in the moving average of answer times. */
    private static final double ANSWER_WEIGHT = 0.2;

    private final String subscriptionId;
    private final CircuitBreaker circuit;
    private final DispatcherProperties properties;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<CompletableFuture<Turn>> waiting = new ArrayDeque<>();
    private final LongSupplier nanoTime;
    private int sending;
    private int concurrency;
    private Integer rate;
    private RateLimiter limiter;
    private boolean wakeUpPending;
    private EndpointHealth health;
    private int consecutiveFailures;
    /** When the last success came back, and the moving average of how long successes took (System.nanoTime). */
    private long lastSuccessAt;

    /** When the requests now in flight began to be (System.nanoTime). */
    private long busySince;

    private double answerNanos = -1;

    /**
     * Successes counted with exponential decay over half of {@code keeps-up-within} (at a steady pace: about the
     * successes of its last half), and when that count was last brought up to date (System.nanoTime).
     */
    private double recentSuccesses;

    private long recentSuccessesAt;
    /** When the circuit last opened (System.nanoTime), to tell deferred deliveries when it probes again. */
    private long openedAt;
    /** The subscription's tenant, and what the last request came to: for webhooks.endpoint-status. */
    private String tenant;

    private DeliveryOutcome lastOutcome;
    private Instant lastAttemptAt;

    /** This endpoint as it is now, as {@link EndpointStatusPublisher} reports it. */
    record Snapshot(
            String tenant,
            CircuitBreaker.State circuit,
            Duration untilProbe,
            int consecutiveFailures,
            Integer lastStatus,
            String lastError,
            Instant lastAttemptAt,
            Instant failingSince,
            int inFlight,
            int queued) {}

    Endpoint(
            String subscriptionId,
            CircuitBreaker circuit,
            DispatcherProperties properties,
            ScheduledExecutorService timer,
            EndpointHealth lastKnown) {
        this(subscriptionId, circuit, properties, timer, lastKnown, System::nanoTime);
    }

    Endpoint(
            String subscriptionId,
            CircuitBreaker circuit,
            DispatcherProperties properties,
            ScheduledExecutorService timer,
            EndpointHealth lastKnown,
            LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.subscriptionId = subscriptionId;
        this.circuit = circuit;
        this.properties = properties;
        this.timer = timer;
        this.concurrency = properties.endpoint().concurrency();
        this.health = lastKnown;
        this.consecutiveFailures = lastKnown == null ? 0 : lastKnown.getConsecutiveFailures();
    }

    /** Queues a delivery for a slot, as {@link #offer(Subscription, boolean, boolean)} without a probe. */
    Optional<CompletableFuture<Turn>> offer(Subscription subscription, boolean inOrder) {
        return offer(subscription, inOrder, false);
    }

    /**
     * Queues a delivery for a slot; empty when the endpoint is full — all its slots taken and its queue too — unless
     * {@code inOrder}: parked deliveries handed back in order always wait here. The future completes when the
     * delivery's turn comes. A {@code probe} (a replayed delivery: an operator says the endpoint works again) that finds the
     * circuit open half-opens it, so the delivery is sent at once as the probe instead of waiting for the cool-down.
     */
    Optional<CompletableFuture<Turn>> offer(Subscription subscription, boolean inOrder, boolean probe) {
        CompletableFuture<Turn> turn = new CompletableFuture<>();
        synchronized (this) {
            adopt(subscription);
            if (probe) {
                probeNow();
            }
            if (!inOrder
                    && sending + waiting.size()
                            >= concurrency + properties.endpoint().queue()) {
                return Optional.empty();
            }
            waiting.addLast(turn);
        }
        pump();
        return Optional.of(turn);
    }

    /**
     * Whether the endpoint drains its full queue within {@code keeps-up-within} at its recent pace: it answers without
     * failures, its circuit is closed, its requests in flight are not stuck (a success, or the start of the current
     * busy spell, within that time), its rate limit allows a queue's worth that fast, and it either did serve a queue's
     * worth of successes in about the last half of that time or, by its recent answer times and its slots, would.
     * The served count comes first because it holds through a pause of this process (garbage collection, the JIT, a
     * machine without a free core): the requests in flight then all come back late at once and their answer times
     * alone would call the endpoint slow. A full endpoint that keeps up is busy, not slow: its deliveries are held back
     * in Kafka rather than sent to the retry path.
     */
    synchronized boolean keepsUp() {
        long within = properties.endpoint().keepsUpWithin().toNanos();
        if (within <= 0 || consecutiveFailures > 0 || circuit.getState() != CircuitBreaker.State.CLOSED) {
            return false;
        }
        long now = nanoTime.getAsLong();
        boolean progressing =
                sending == 0 || now - busySince <= within || (answerNanos >= 0 && now - lastSuccessAt <= within);
        if (!progressing) {
            return false;
        }
        double queued = properties.endpoint().queue() + 1.0;
        if (rate != null && queued / rate > within / 1e9) {
            return false;
        }
        return recentSuccesses(now) >= queued || answerNanos < 0 || queued * answerNanos / concurrency <= within;
    }

    /** The decayed count of successes brought up to {@code now}. */
    private double recentSuccesses(long now) {
        double halfWithin = properties.endpoint().keepsUpWithin().toNanos() / 2.0;
        if (recentSuccesses > 0 && halfWithin > 0) {
            recentSuccesses *= Math.exp(-Math.max(0, now - recentSuccessesAt) / halfWithin);
        }
        recentSuccessesAt = now;
        return recentSuccesses;
    }

    /**
     * A request of this endpoint came back (or failed): frees its slot, feeds the circuit, and returns the endpoint's
     * new health when its state changed (to be written to webhooks.endpoint-health), else null.
     */
    EndpointHealth finished(Subscription subscription, DeliveryOutcome outcome, Duration took, Instant now) {
        EndpointHealth changed;
        synchronized (this) {
            sending--;
            lastOutcome = outcome;
            lastAttemptAt = now;
            if (outcome.kind() == AttemptOutcome.DELIVERED) {
                lastSuccessAt = nanoTime.getAsLong();
                recentSuccesses = recentSuccesses(lastSuccessAt) + 1;
                answerNanos = answerNanos < 0
                        ? took.toNanos()
                        : ANSWER_WEIGHT * took.toNanos() + (1 - ANSWER_WEIGHT) * answerNanos;
                circuit.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                boolean wasOpen = circuit.getState() == CircuitBreaker.State.OPEN;
                circuit.onError(took.toNanos(), TimeUnit.NANOSECONDS, new EndpointFailure(outcome));
                if (!wasOpen && circuit.getState() == CircuitBreaker.State.OPEN) {
                    openedAt = nanoTime.getAsLong();
                }
            }
            changed = judge(subscription, outcome, now);
        }
        pump();
        return changed;
    }

    synchronized int sending() {
        return sending;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    CircuitBreaker.State circuitState() {
        return circuit.getState();
    }

    synchronized Snapshot snapshot() {
        boolean failing = health != null && health.getState() != EndpointState.HEALTHY;
        return new Snapshot(
                tenant,
                circuit.getState(),
                untilProbe(),
                consecutiveFailures,
                lastOutcome == null ? null : lastOutcome.status(),
                lastOutcome == null ? null : lastOutcome.error(),
                lastAttemptAt,
                failing ? health.getFailingSince() : null,
                sending,
                waiting.size());
    }

    /** How long until the open circuit lets a probe through; zero when it is not open. */
    synchronized Duration untilProbe() {
        if (circuit.getState() != CircuitBreaker.State.OPEN) {
            return Duration.ZERO;
        }
        long left = properties.circuit().coolDown().toNanos() - (nanoTime.getAsLong() - openedAt);
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** An open circuit lets the next request through as its probe now, rather than at the end of its cool-down. */
    private void probeNow() {
        if (circuit.getState() == CircuitBreaker.State.OPEN) {
            circuit.transitionToHalfOpenState();
        }
    }

    /** Follows the subscription's current limits; a subscription enabled again after being disabled starts afresh. */
    private void adopt(Subscription subscription) {
        tenant = subscription.getTenant();
        concurrency = subscription.getMaxConcurrency() != null
                ? subscription.getMaxConcurrency()
                : properties.endpoint().concurrency();
        Integer wanted = subscription.getRateLimit();
        if (wanted == null || wanted <= 0) {
            rate = null;
            limiter = null;
        } else if (!wanted.equals(rate)) {
            rate = wanted;
            limiter = RateLimiter.of(subscriptionId, perTenthOfASecond(wanted));
        }
        if (health != null
                && health.getState() == EndpointState.DISABLED
                && subscription.getStatus() == SubscriptionStatus.ACTIVE
                && subscription.getUpdatedAt() != null
                && subscription.getUpdatedAt().isAfter(health.getUpdatedAt())) {
            health = null;
            consecutiveFailures = 0;
            // Re-enabled by its owner: the endpoint is said to work again, so the next delivery probes it at once.
            probeNow();
        }
    }

    /** Grants turns while slots, circuit and rate allow; completes the futures outside the lock. */
    private void pump() {
        List<CompletableFuture<Turn>> send = new ArrayList<>();
        List<CompletableFuture<Turn>> open = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty()) {
                boolean full = sending >= concurrency;
                if (full && circuit.getState() != CircuitBreaker.State.OPEN) {
                    break;
                }
                if (!circuit.tryAcquirePermission()) {
                    if (circuit.getState() == CircuitBreaker.State.HALF_OPEN) {
                        // The probe is in flight: its answer decides, so the others wait for it here.
                        break;
                    }
                    open.add(waiting.pollFirst());
                    continue;
                }
                if (full) {
                    circuit.releasePermission();
                    break;
                }
                if (limiter != null && !limiter.acquirePermission()) {
                    circuit.releasePermission();
                    wakeUpLater();
                    break;
                }
                if (sending++ == 0) {
                    busySince = nanoTime.getAsLong();
                }
                send.add(waiting.pollFirst());
            }
        }
        open.forEach(turn -> turn.complete(Turn.CIRCUIT_OPEN));
        send.forEach(turn -> turn.complete(Turn.SEND));
    }

    private void wakeUpLater() {
        if (!wakeUpPending) {
            wakeUpPending = true;
            long millis = Math.max(
                    1, limiter.getRateLimiterConfig().getLimitRefreshPeriod().toMillis());
            timer.schedule(
                    () -> {
                        synchronized (this) {
                            wakeUpPending = false;
                        }
                        pump();
                    },
                    millis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** A rate in requests per second as permits per 100 ms (one per 1/rate s below 10/s), so bursts stay small. */
    static RateLimiterConfig perTenthOfASecond(int perSecond) {
        RateLimiterConfig.Builder config = RateLimiterConfig.custom().timeoutDuration(Duration.ZERO);
        if (perSecond >= 10) {
            return config.limitForPeriod(perSecond / 10)
                    .limitRefreshPeriod(Duration.ofMillis(100))
                    .build();
        }
        return config.limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofMillis(1000 / perSecond))
                .build();
    }

    /**
     * The endpoint's state after an attempt: HEALTHY after a success; DEGRADED from the first failure; FAILING from
     * {@code failingAfter} consecutive failures; DISABLED on 410 Gone or after failing for {@code disableAfter}.
     */
    private EndpointHealth judge(Subscription subscription, DeliveryOutcome outcome, Instant now) {
        EndpointState current = health == null ? EndpointState.HEALTHY : health.getState();
        if (outcome.kind() == AttemptOutcome.DELIVERED) {
            consecutiveFailures = 0;
            return current == EndpointState.HEALTHY
                    ? null
                    : changeTo(subscription, EndpointState.HEALTHY, null, null, outcome, now);
        }
        consecutiveFailures++;
        Instant since = current == EndpointState.HEALTHY ? now : health.getFailingSince();
        EndpointState next;
        String reason = null;
        if (outcome.status() != null && outcome.status() == 410) {
            next = EndpointState.DISABLED;
            reason = "gone";
        } else if (current == EndpointState.DISABLED) {
            next = EndpointState.DISABLED;
        } else if (!since.plus(properties.health().disableAfter()).isAfter(now)) {
            next = EndpointState.DISABLED;
            reason = "failing_too_long";
        } else if (consecutiveFailures >= properties.health().failingAfter() || current == EndpointState.FAILING) {
            next = EndpointState.FAILING;
        } else {
            next = EndpointState.DEGRADED;
        }
        return next == current ? null : changeTo(subscription, next, since, reason, outcome, now);
    }

    private EndpointHealth changeTo(
            Subscription subscription,
            EndpointState state,
            Instant failingSince,
            String reason,
            DeliveryOutcome outcome,
            Instant now) {
        health = EndpointHealth.newBuilder()
                .setSubscriptionId(subscriptionId)
                .setTenant(subscription.getTenant())
                .setUrl(subscription.getUrl())
                .setState(state)
                .setFailingSince(failingSince)
                .setConsecutiveFailures(consecutiveFailures)
                .setLastStatus(outcome.status())
                .setLastError(outcome.error())
                .setReason(reason)
                .setUpdatedAt(now)
                .build();
        return health;
    }

    /** What the circuit breaker counts as a failed call. */
    static final class EndpointFailure extends RuntimeException {
        EndpointFailure(DeliveryOutcome outcome) {
            super(outcome.status() != null ? "status " + outcome.status() : outcome.error(), null, false, false);
        }
    }
}
