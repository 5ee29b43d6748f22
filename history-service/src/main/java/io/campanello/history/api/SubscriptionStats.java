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
 * delivered, and the latency of the attempts made in it.
 *
 * @param deliveries deliveries created in the window
 * @param byStatus those deliveries by their status now (every status, 0 included)
 * @param successRate delivered / (delivered + dead), null while none finished
 * @param attempts HTTP attempts started in the window
 * @param attemptSuccessRate attempts that delivered / attempts, null without attempts
 * @param latencyMillis percentiles (p50, p90, p99, max) of the attempts' durations, empty without attempts
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
        boolean truncated) {

    static SubscriptionStats of(
            String subscriptionId, Instant from, Instant to, List<DeliveryHistory> window, boolean truncated) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (DeliveryStatus status : DeliveryStatus.values()) {
            byStatus.put(status.name().toLowerCase(Locale.ROOT), 0L);
        }
        List<Long> durations = new ArrayList<>();
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
                truncated);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
