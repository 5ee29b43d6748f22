package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.schemas.AvroTrust;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final DeliveryOutcome OK = new DeliveryOutcome.Delivered(200);
    private static final DeliveryOutcome ERROR = new DeliveryOutcome.RetryableFailure(500, null);
    private static final DeliveryOutcome GONE = new DeliveryOutcome.PermanentFailure(410, null);
    private static final Duration TOOK = Duration.ofMillis(3);

    static {
        AvroTrust.install();
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aFullEndpointQueuesUpToItsLimitAndTurnsAwayTheRest() {
        Endpoint endpoint = endpoint(settings(2, 1, 5, Duration.ofSeconds(30)), null);
        Subscription subscription = subscription(null, null);

        List<CompletableFuture<Endpoint.Turn>> turns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            turns.add(endpoint.offer(subscription, false).orElseThrow());
        }
        assertThat(turns.get(0)).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(turns.get(1)).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(turns.get(2)).as("waits for a slot").isNotDone();
        assertThat(endpoint.offer(subscription, false))
                .as("queue full: the retry path")
                .isEmpty();
        assertThat(endpoint.offer(subscription, true))
                .as("parked deliveries in order always wait")
                .isPresent();

        endpoint.finished(subscription, OK, TOOK, T0);

        assertThat(turns.get(2)).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(endpoint.sending()).isEqualTo(2);
    }

    @Test
    void aFullEndpointThatAnswersFastKeepsUpSoItsDeliveriesAreHeldBackNotSentAround() {
        var now = new AtomicLong();
        Endpoint endpoint =
                endpoint(settings(2, 100, 5, Duration.ofSeconds(30), Duration.ofMillis(250)), null, now::get);
        Subscription subscription = subscription(null, null);
        assertThat(endpoint.keepsUp())
                .as("nothing known yet: busy until shown slow")
                .isTrue();
        attempt(endpoint, subscription, OK, T0);

        fill(endpoint, subscription, 102);

        assertThat(endpoint.offer(subscription, false))
                .as("2 sending, 100 waiting: full")
                .isEmpty();
        assertThat(endpoint.keepsUp())
                .as("3 ms an answer, 2 at a time: the 100 waiting are served in 150 ms")
                .isTrue();
        now.addAndGet(Duration.ofMillis(200).toNanos());
        endpoint.finished(subscription, OK, TOOK, T0);
        assertThat(endpoint.offer(subscription, false)).as("room for one again").isPresent();
    }

    @Test
    void aFullEndpointThatAnswersSlowlyForItsQueueDoesNotKeepUp() {
        var now = new AtomicLong();
        Endpoint endpoint = endpoint(settings(2, 1, 5, Duration.ofSeconds(30), Duration.ofMillis(250)), null, now::get);
        Subscription subscription = subscription(null, null);
        assertThat(endpoint.offer(subscription, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.SEND);
        endpoint.finished(subscription, OK, Duration.ofMillis(400), T0);

        fill(endpoint, subscription, 3);

        assertThat(endpoint.offer(subscription, false)).isEmpty();
        assertThat(endpoint.keepsUp()).as("400 ms an answer: busy, and slow").isFalse();
    }

    @Test
    void aPauseOfTheDispatcherDoesNotMakeAnEndpointThatServesItsQueueSlow() {
        var now = new AtomicLong();
        Endpoint endpoint =
                endpoint(settings(20, 200, 5, Duration.ofSeconds(30), Duration.ofSeconds(1)), null, now::get);
        Subscription subscription = subscription(null, null);
        fill(endpoint, subscription, 220);
        // a second at 2,000 answers/s, 10 ms each
        answerAndRefill(endpoint, subscription, now, 2_000, Duration.ofNanos(500_000), Duration.ofMillis(10));
        assertThat(endpoint.offer(subscription, false)).as("full").isEmpty();
        assertThat(endpoint.keepsUp()).isTrue();

        // The dispatcher gets no core for 400 ms: its 20 requests in flight all come back late at once.
        now.addAndGet(Duration.ofMillis(400).toNanos());
        answerAndRefill(endpoint, subscription, now, 20, Duration.ZERO, Duration.ofMillis(400));

        assertThat(endpoint.keepsUp())
                .as("before the pause it served about 1,000 in half a second: a queue of 200 is no slow drain")
                .isTrue();
    }

    @Test
    void anEndpointThatKeepsAnsweringTooSlowlyForItsQueueStopsKeepingUp() {
        var now = new AtomicLong();
        Endpoint endpoint =
                endpoint(settings(20, 200, 5, Duration.ofSeconds(30), Duration.ofSeconds(1)), null, now::get);
        Subscription subscription = subscription(null, null);
        fill(endpoint, subscription, 220);
        answerAndRefill(endpoint, subscription, now, 2_000, Duration.ofNanos(500_000), Duration.ofMillis(10));
        assertThat(endpoint.keepsUp()).isTrue();

        // From now on 400 ms an answer: 20 slots serve 50/s, a queue of 200 takes 4 s.
        answerAndRefill(endpoint, subscription, now, 75, Duration.ofMillis(20), Duration.ofMillis(400));

        assertThat(endpoint.keepsUp()).as("after 1.5 s at 50 answers/s").isFalse();
    }

    @Test
    void anEndpointThatStopsAnsweringOrFailsNoLongerKeepsUp() {
        var now = new AtomicLong();
        Endpoint endpoint = endpoint(settings(2, 1, 5, Duration.ofSeconds(30), Duration.ofMillis(50)), null, now::get);
        Subscription subscription = subscription(null, null);
        attempt(endpoint, subscription, OK, T0);
        fill(endpoint, subscription, 3);
        CompletableFuture<Endpoint.Turn> parked =
                endpoint.offer(subscription, true).orElseThrow();
        assertThat(parked).as("handed back in order: waits even when full").isNotDone();
        assertThat(endpoint.keepsUp()).isTrue();

        now.addAndGet(Duration.ofSeconds(1).toNanos()); // two requests in flight, no answer for a second: it hangs

        assertThat(endpoint.keepsUp()).isFalse();
        now.addAndGet(Duration.ofMillis(10).toNanos());
        endpoint.finished(subscription, OK, TOOK, T0);
        assertThat(endpoint.keepsUp()).as("answering again").isTrue();
        endpoint.finished(subscription, ERROR, TOOK, T0);
        assertThat(endpoint.keepsUp()).as("a failure").isFalse();
    }

    @Test
    void aBurstAfterAQuietSpellIsNotMistakenForAHangingEndpoint() {
        var now = new AtomicLong();
        Endpoint endpoint = endpoint(settings(2, 1, 5, Duration.ofSeconds(30), Duration.ofMillis(50)), null, now::get);
        Subscription subscription = subscription(null, null);
        attempt(endpoint, subscription, OK, T0);

        now.addAndGet(Duration.ofMinutes(5).toNanos());
        fill(endpoint, subscription, 3);

        assertThat(endpoint.keepsUp()).isTrue();
    }

    @Test
    void aRateLimitTooLowForTheQueueDoesNotKeepUp() {
        Endpoint endpoint = endpoint(settings(2, 100, 5, Duration.ofSeconds(30), Duration.ofSeconds(1)), null);
        endpoint.offer(subscription(null, 50), false);
        assertThat(endpoint.keepsUp()).as("100 waiting at 50/s take 2 s").isFalse();
        endpoint.offer(subscription(null, 1000), false);
        assertThat(endpoint.keepsUp()).as("100 waiting at 1,000/s take 0.1 s").isTrue();
    }

    /** {@code answers} successes that took {@code took} each, {@code every} apart; each frees a slot, refilled at once. */
    private static void answerAndRefill(
            Endpoint endpoint, Subscription subscription, AtomicLong now, int answers, Duration every, Duration took) {
        for (int i = 0; i < answers; i++) {
            now.addAndGet(every.toNanos());
            endpoint.finished(subscription, OK, took, T0);
            assertThat(endpoint.offer(subscription, false)).isPresent();
        }
    }

    private static void fill(Endpoint endpoint, Subscription subscription, int deliveries) {
        for (int i = 0; i < deliveries; i++) {
            assertThat(endpoint.offer(subscription, false)).isPresent();
        }
    }

    @Test
    void aSubscriptionsOwnConcurrencyReplacesTheDefault() {
        Endpoint endpoint = endpoint(settings(2, 10, 5, Duration.ofSeconds(30)), null);
        Subscription one = subscription(1, null);

        assertThat(endpoint.offer(one, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(endpoint.offer(one, false).orElseThrow()).isNotDone();
    }

    @Test
    void theCircuitOpensAfterConsecutiveFailuresAndAProbeClosesIt() {
        Endpoint endpoint = endpoint(settings(10, 10, 3, Duration.ofMillis(300)), null);
        Subscription subscription = subscription(null, null);

        for (int i = 0; i < 3; i++) {
            assertThat(endpoint.offer(subscription, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.SEND);
            endpoint.finished(subscription, ERROR, TOOK, T0);
        }
        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(endpoint.offer(subscription, false).orElseThrow())
                .as("open: straight to the retry path")
                .isCompletedWithValue(Endpoint.Turn.CIRCUIT_OPEN);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> endpoint.offer(subscription, false).orElseThrow().getNow(null) == Endpoint.Turn.SEND);
        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        CompletableFuture<Endpoint.Turn> behindTheProbe =
                endpoint.offer(subscription, false).orElseThrow();
        assertThat(behindTheProbe)
                .as("one probe at a time; the others wait for its answer")
                .isNotDone();

        endpoint.finished(subscription, OK, TOOK, T0);

        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(behindTheProbe).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(endpoint.offer(subscription, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.SEND);
    }

    @Test
    void deliveriesWaitingForAFailedProbeGoBackToWaitForTheNextCoolDown() {
        AtomicLong now = new AtomicLong();
        Endpoint endpoint = endpoint(settings(10, 10, 1, Duration.ofSeconds(30)), null, now::get);
        Subscription subscription = subscription(null, null);
        attempt(endpoint, subscription, ERROR, T0);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(endpoint.untilProbe()).isEqualTo(Duration.ofSeconds(20));

        CompletableFuture<Endpoint.Turn> probe =
                endpoint.offer(subscription, false, true).orElseThrow();
        CompletableFuture<Endpoint.Turn> behind =
                endpoint.offer(subscription, false).orElseThrow();
        assertThat(probe).isCompletedWithValue(Endpoint.Turn.SEND);
        endpoint.finished(subscription, ERROR, TOOK, T0);

        assertThat(behind).isCompletedWithValue(Endpoint.Turn.CIRCUIT_OPEN);
        assertThat(endpoint.untilProbe()).as("open again for a whole cool-down").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aReplayedDeliveryProbesAnOpenCircuitAtOnce() {
        Endpoint endpoint = endpoint(settings(10, 10, 3, Duration.ofSeconds(30)), null);
        Subscription subscription = subscription(null, null);
        for (int i = 0; i < 3; i++) {
            attempt(endpoint, subscription, ERROR, T0);
        }
        assertThat(endpoint.offer(subscription, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.CIRCUIT_OPEN);

        CompletableFuture<Endpoint.Turn> probe =
                endpoint.offer(subscription, false, true).orElseThrow();
        List<CompletableFuture<Endpoint.Turn>> backlog = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            backlog.add(endpoint.offer(subscription, false, false).orElseThrow());
        }

        assertThat(probe).as("sent at once, not after the 30 s cool-down").isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(backlog).allSatisfy(turn -> assertThat(turn).isNotDone());
        endpoint.finished(subscription, OK, TOOK, T0);
        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(backlog).allSatisfy(turn -> assertThat(turn).isCompletedWithValue(Endpoint.Turn.SEND));
    }

    @Test
    void aRateLimitDelaysRequestsWithoutDroppingThem() {
        Endpoint endpoint = endpoint(settings(10, 100, 5, Duration.ofSeconds(30)), null);
        Subscription fivePerSecond = subscription(null, 5);

        List<CompletableFuture<Endpoint.Turn>> turns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            turns.add(endpoint.offer(fivePerSecond, false).orElseThrow());
        }
        assertThat(turns.get(0)).isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(turns.get(1)).as("one every 200 ms").isNotDone();

        await().atMost(Duration.ofSeconds(3)).until(() -> turns.stream().allMatch(CompletableFuture::isDone));
        assertThat(turns).allMatch(turn -> turn.getNow(null) == Endpoint.Turn.SEND);
    }

    @Test
    void anEndpointDegradesFailsAndRecovers() {
        Endpoint endpoint = endpoint(settings(10, 10, 100, Duration.ofSeconds(30)), null);
        Subscription subscription = subscription(null, null);

        EndpointHealth first = attempt(endpoint, subscription, ERROR, T0);
        assertThat(first.getState()).isEqualTo(EndpointState.DEGRADED);
        assertThat(first.getFailingSince()).isEqualTo(T0);
        assertThat(first.getLastStatus()).isEqualTo(500);

        assertThat(attempt(endpoint, subscription, ERROR, T0.plusSeconds(1)))
                .as("no news")
                .isNull();
        EndpointHealth failing = attempt(endpoint, subscription, ERROR, T0.plusSeconds(2));
        assertThat(failing.getState())
                .as("the third failure crosses failingAfter")
                .isEqualTo(EndpointState.FAILING);
        assertThat(failing.getFailingSince()).isEqualTo(T0);
        assertThat(failing.getConsecutiveFailures()).isEqualTo(3);

        EndpointHealth healthy = attempt(endpoint, subscription, OK, T0.plusSeconds(3));
        assertThat(healthy.getState()).isEqualTo(EndpointState.HEALTHY);
        assertThat(healthy.getFailingSince()).isNull();
        assertThat(attempt(endpoint, subscription, OK, T0.plusSeconds(4))).isNull();
    }

    @Test
    void goneDisablesAtOnceAndLongFailureAfterTheDisablePeriod() {
        Subscription subscription = subscription(null, null);
        Endpoint gone = endpoint(settings(10, 10, 100, Duration.ofSeconds(30)), null);
        EndpointHealth disabled = attempt(gone, subscription, GONE, T0);
        assertThat(disabled.getState()).isEqualTo(EndpointState.DISABLED);
        assertThat(disabled.getReason()).isEqualTo("gone");

        Endpoint failing = endpoint(settings(10, 10, 100, Duration.ofSeconds(30)), null);
        attempt(failing, subscription, ERROR, T0);
        assertThat(attempt(
                        failing,
                        subscription,
                        ERROR,
                        T0.plus(Duration.ofDays(5)).minusSeconds(1)))
                .isNull();
        EndpointHealth tooLong = attempt(failing, subscription, ERROR, T0.plus(Duration.ofDays(5)));
        assertThat(tooLong.getState()).isEqualTo(EndpointState.DISABLED);
        assertThat(tooLong.getReason()).isEqualTo("failing_too_long");
        assertThat(tooLong.getFailingSince()).isEqualTo(T0);
    }

    @Test
    void theFailingPeriodSurvivesARestartAndEndsWhenTheOwnerEnablesTheSubscriptionAgain() {
        EndpointHealth known = EndpointHealth.newBuilder()
                .setSubscriptionId("sub_1")
                .setTenant("acme")
                .setUrl("https://example.com/hook")
                .setState(EndpointState.DISABLED)
                .setFailingSince(T0)
                .setConsecutiveFailures(40)
                .setReason("failing_too_long")
                .setUpdatedAt(T0.plus(Duration.ofDays(5)))
                .build();
        Endpoint restarted = endpoint(settings(10, 10, 3, Duration.ofSeconds(30)), known);
        Subscription stillDisabledAtTheTime = subscription(null, null);
        assertThat(attempt(restarted, stillDisabledAtTheTime, ERROR, T0.plus(Duration.ofDays(6))))
                .as("already disabled: nothing new")
                .isNull();

        Endpoint afterEnabling = endpoint(settings(10, 10, 3, Duration.ofSeconds(30)), known);
        Subscription enabledAgain = Subscription.newBuilder(subscription(null, null))
                .setUpdatedAt(T0.plus(Duration.ofDays(7)))
                .build();
        EndpointHealth fresh = attempt(afterEnabling, enabledAgain, ERROR, T0.plus(Duration.ofDays(8)));
        assertThat(fresh.getState()).isEqualTo(EndpointState.DEGRADED);
        assertThat(fresh.getFailingSince()).isEqualTo(T0.plus(Duration.ofDays(8)));
    }

    @Test
    void resumingADisabledSubscriptionProbesItsOpenCircuitAtOnce() {
        Endpoint endpoint = endpoint(settings(10, 10, 3, Duration.ofSeconds(30)), null);
        Subscription subscription = subscription(null, null);
        attempt(endpoint, subscription, ERROR, T0);
        attempt(endpoint, subscription, ERROR, T0);
        EndpointHealth disabled = attempt(endpoint, subscription, GONE, T0.plusSeconds(1));
        assertThat(disabled.getState()).isEqualTo(EndpointState.DISABLED);
        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

        Subscription resumed = Subscription.newBuilder(subscription)
                .setUpdatedAt(T0.plusSeconds(5))
                .build();

        assertThat(endpoint.offer(resumed, true).orElseThrow())
                .as("the owner says it works again: sent at once, not after the 30 s cool-down")
                .isCompletedWithValue(Endpoint.Turn.SEND);
        assertThat(endpoint.circuitState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    private static EndpointHealth attempt(
            Endpoint endpoint, Subscription subscription, DeliveryOutcome outcome, Instant now) {
        assertThat(endpoint.offer(subscription, false).orElseThrow()).isCompletedWithValue(Endpoint.Turn.SEND);
        return endpoint.finished(subscription, outcome, TOOK, now);
    }

    private Endpoint endpoint(DispatcherProperties properties, EndpointHealth lastKnown) {
        return endpoint(properties, lastKnown, System::nanoTime);
    }

    private Endpoint endpoint(DispatcherProperties properties, EndpointHealth lastKnown, LongSupplier nanoTime) {
        int failures = properties.circuit().failures();
        CircuitBreaker circuit = CircuitBreaker.of(
                "sub_1",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(failures)
                        .minimumNumberOfCalls(failures)
                        .failureRateThreshold(100)
                        .waitDurationInOpenState(properties.circuit().coolDown())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .build());
        return new Endpoint("sub_1", circuit, properties, timer, lastKnown, nanoTime);
    }

    private static DispatcherProperties settings(int concurrency, int queue, int circuitFailures, Duration coolDown) {
        return settings(concurrency, queue, circuitFailures, coolDown, Duration.ZERO);
    }

    private static DispatcherProperties settings(
            int concurrency, int queue, int circuitFailures, Duration coolDown, Duration keepsUpWithin) {
        return new DispatcherProperties(
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Set.of(410),
                1000,
                new DispatcherProperties.EndpointLimits(concurrency, queue, Duration.ofSeconds(2), keepsUpWithin),
                new DispatcherProperties.Circuit(circuitFailures, coolDown),
                new DispatcherProperties.Health(3, Duration.ofDays(5)),
                Duration.ofSeconds(20),
                new DispatcherProperties.Proxy("", 3128),
                new DispatcherProperties.Tls(null),
                Duration.ofDays(28));
    }

    private static Subscription subscription(Integer maxConcurrency, Integer rateLimit) {
        return Subscription.newBuilder()
                .setId("sub_1")
                .setTenant("acme")
                .setUrl("https://example.com/hook")
                .setEventTypes(List.of("order.created"))
                .setStatus(SubscriptionStatus.ACTIVE)
                .setSecrets(List.of())
                .setMaxConcurrency(maxConcurrency)
                .setRateLimit(rateLimit)
                .setCreatedAt(T0.minusSeconds(60))
                .build();
    }
}
