package io.campanello.history.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionStatsTest {

    private static final Instant TO = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant FROM = TO.minus(Duration.ofHours(1));

    @Test
    void theWindowIsCutIntoEqualIntervalsWithTheAttemptsStartedInEach() {
        // One failure at the start of the hour, retried and delivered 10 minutes later; a second delivery still
        // failing in the last minute; an attempt from before the window that must not count.
        List<DeliveryHistory> window = List.of(
                history(
                        DeliveryStatus.DELIVERED,
                        attempt(1, AttemptOutcome.RETRYABLE, FROM.plusSeconds(30), 900),
                        attempt(2, AttemptOutcome.DELIVERED, FROM.plus(Duration.ofMinutes(10)), 40)),
                history(
                        DeliveryStatus.RETRYING,
                        attempt(1, AttemptOutcome.RETRYABLE, FROM.minusSeconds(5), 30_000),
                        attempt(2, AttemptOutcome.RETRYABLE, TO.minusSeconds(20), 30_000)));

        SubscriptionStats stats = SubscriptionStats.of("sub_1", FROM, TO, window, false);

        assertThat(stats.series()).hasSize(SubscriptionStats.INTERVALS);
        assertThat(stats.series())
                .extracting(SubscriptionStats.Interval::start)
                .startsWith(FROM, FROM.plus(Duration.ofMinutes(2)))
                .endsWith(TO.minus(Duration.ofMinutes(2)));
        SubscriptionStats.Interval first = stats.series().get(0);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.p90Millis()).isEqualTo(900);
        SubscriptionStats.Interval tenMinutes = stats.series().get(5);
        assertThat(tenMinutes.delivered()).isEqualTo(1);
        assertThat(tenMinutes.failed()).isZero();
        assertThat(stats.series().get(29).failed()).isEqualTo(1);
        assertThat(stats.series().get(1).attempts()).isZero();
        assertThat(stats.series().get(1).p90Millis()).isNull();
        assertThat(stats.series().stream()
                        .mapToLong(SubscriptionStats.Interval::attempts)
                        .sum())
                .as("the series counts what the totals count")
                .isEqualTo(stats.attempts())
                .isEqualTo(3);
    }

    @Test
    void anAttemptAtTheWindowsEndFallsInTheLastInterval() {
        SubscriptionStats stats = SubscriptionStats.of(
                "sub_1",
                FROM,
                TO,
                List.of(history(DeliveryStatus.DELIVERED, attempt(1, AttemptOutcome.DELIVERED, TO, 12))),
                false);

        assertThat(stats.series().get(SubscriptionStats.INTERVALS - 1).delivered())
                .isEqualTo(1);
    }

    private static DeliveryHistory history(DeliveryStatus status, DeliveryAttempt... attempts) {
        return DeliveryHistory.newBuilder()
                .setDeliveryId("dlv_1")
                .setSubscriptionId("sub_1")
                .setTenant("acme")
                .setEventId("evt_1")
                .setEventType("order.created")
                .setCreatedAt(attempts[0].getStartedAt())
                .setStatus(status)
                .setStatusAt(attempts[attempts.length - 1].getStartedAt())
                .setAttempts(List.of(attempts))
                .build();
    }

    private static DeliveryAttempt attempt(int number, AttemptOutcome outcome, Instant startedAt, long millis) {
        return DeliveryAttempt.newBuilder()
                .setDeliveryId("dlv_1")
                .setSubscriptionId("sub_1")
                .setTenant("acme")
                .setEventId("evt_1")
                .setEventType("order.created")
                .setAttempt(number)
                .setUrl("https://example.com/hook")
                .setStartedAt(startedAt)
                .setDurationMillis(millis)
                .setOutcome(outcome)
                .setStatus(outcome == AttemptOutcome.DELIVERED ? 200 : 503)
                .build();
    }
}
