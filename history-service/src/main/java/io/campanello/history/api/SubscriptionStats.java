package io.campanello.history.api;

import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an endpoint did over a window: deliveries created in it by status, the share of finished ones that were
 * delivered, the latency of the attempts made in it, and the attempts over time ({@value #INTERVALS} intervals).
 *
 * @param deliveries deliveries created in the window
 * @param byStatus those deliveries by their status now (every status, 0 included)
 * @param successRate delivered / (delivered + dead), null while none finished
 * @param attempts HTTP attempts started in the window
 * @param attemptSuccessRate attempts that delivered / attempts, null without attempts
 * @param latencyMillis percentiles (p50, p90, p99, max) of the attempts' durations, empty without attempts
 * @param series the window cut into {@value #INTERVALS} equal intervals, oldest first: the attempts started in each
 *     (the console draws delivery and error rate from it)
 * @param truncated the window held more deliveries than one call looks at ({@code campanello.history.max-scan}):
 *     the figures cover the newest of them
 */
record SubscriptionStats(
        String subscriptionId,
        Instant from,
        Instant to,
        long deliveries,
        Map<String, Long> byStatus,
        Double successRate,
        long attempts,
        Double attemptSuccessRate,
        Map<String, Long> latencyMillis,
        List<Interval> series,
        boolean truncated) {

    static final int INTERVALS = 30;

    /**
     * The attempts started in one interval of the window.
     *
     * @param start when the interval begins (it lasts until the next one's start, the last until the window's end)
     * @param attempts HTTP attempts started in it
     * @param delivered those the endpoint accepted
     * @param failed the others (an error answer, a timeout, no connection)
     * @param p90Millis the 90th percentile of their durations, null without attempts
     */
    record Interval(Instant start, long attempts, long delivered, long failed, Long p90Millis) {}

    static SubscriptionStats of(
            String subscriptionId, Instant from, Instant to, List<DeliveryHistory> window, boolean truncated) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (DeliveryStatus status : DeliveryStatus.values()) {
            byStatus.put(status.name().toLowerCase(Locale.ROOT), 0L);
        }
        List<Long> durations = new ArrayList<>();
        long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        List<List<DeliveryAttempt>> intervals = new ArrayList<>();
        for (int i = 0; i < INTERVALS; i++) {
            intervals.add(new ArrayList<>());
        }
        long delivered = 0;
        long dead = 0;
        long attemptsDelivered = 0;
        for (DeliveryHistory history : window) {
            byStatus.merge(history.getStatus().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
            delivered += history.getStatus() == DeliveryStatus.DELIVERED ? 1 : 0;
            dead += history.getStatus() == DeliveryStatus.DEAD ? 1 : 0;
            for (DeliveryAttempt attempt : history.getAttempts()) {
                if (!attempt.getStartedAt().isBefore(from)
                        && !attempt.getStartedAt().isAfter(to)) {
                    durations.add(attempt.getDurationMillis());
                    attemptsDelivered += attempt.getOutcome() == AttemptOutcome.DELIVERED ? 1 : 0;
                    long offset = attempt.getStartedAt().toEpochMilli() - from.toEpochMilli();
                    intervals
                            .get((int) Math.min(INTERVALS - 1, offset * INTERVALS / span))
                            .add(attempt);
                }
            }
        }
        durations.sort(null);
        Map<String, Long> latency = new LinkedHashMap<>();
        if (!durations.isEmpty()) {
            latency.put("p50", percentile(durations, 0.50));
            latency.put("p90", percentile(durations, 0.90));
            latency.put("p99", percentile(durations, 0.99));
            latency.put("max", durations.get(durations.size() - 1));
        }
        return new SubscriptionStats(
                subscriptionId,
                from,
                to,
                window.size(),
                byStatus,
                delivered + dead == 0 ? null : (double) delivered / (delivered + dead),
                durations.size(),
                durations.isEmpty() ? null : (double) attemptsDelivered / durations.size(),
                latency,
                series(from, span, intervals),
                truncated);
    }

    private static List<Interval> series(Instant from, long span, List<List<DeliveryAttempt>> intervals) {
        List<Interval> series = new ArrayList<>(INTERVALS);
        for (int i = 0; i < INTERVALS; i++) {
            List<DeliveryAttempt> attempts = intervals.get(i);
            long delivered = attempts.stream()
                    .filter(attempt -> attempt.getOutcome() == AttemptOutcome.DELIVERED)
                    .count();
            List<Long> durations = attempts.stream()
                    .map(DeliveryAttempt::getDurationMillis)
                    .sorted()
                    .toList();
            series.add(new Interval(
                    from.plusMillis(span * i / INTERVALS),
                    attempts.size(),
                    delivered,
                    attempts.size() - delivered,
                    durations.isEmpty() ? null : percentile(durations, 0.90)));
        }
        return series;
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
