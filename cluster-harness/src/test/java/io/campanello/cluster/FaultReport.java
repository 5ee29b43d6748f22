package io.campanello.cluster;

import io.campanello.schemas.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The accounting of one fault scenario at the receiver: for every event the {@link Load} had accepted (202) and every
 * subscription (a path of the receiver), the delivery's {@code webhook-id} must have been answered 2xx. Lost: an
 * accepted event's delivery that never arrived. Duplicates: a {@code webhook-id} answered 2xx more than once. Time to
 * recover: for each fault, until the last event accepted before it was delivered (what was in flight at the fault
 * waited for the take-over); the scenario's is the longest.
 *
 * @param duplicatesAwayFromFaults duplicates first delivered outside every fault's window: none expected, a duplicate
 *     comes only from work in flight at a fault
 * @param eventsWrittenTwice accepted events on {@code webhooks.events} twice (posted again after an unanswered or 503
 *     attempt that Kafka had in fact written); -1 when not counted
 * @param tasksWrittenTwice delivery tasks on {@code webhooks.deliveries} twice (events written twice, or matched again
 *     after a matcher's take-over); -1 when not counted. Duplicates beyond these were sent twice by a dispatcher or
 *     the retry service
 * @param retriesWrittenTwice retries on {@code webhooks.redeliveries} twice (the retry service handed one back twice;
 *     here each delivery of a retried path is retried once); -1 when not counted
 * @param tierWrittenTwice retries on the retry tier ({@code webhooks.retry.1s} here) twice (a dispatcher wrote one
 *     twice); -1 when not counted
 * @param duplicateDetails each duplicate: path, webhook-id, when first delivered relative to the nearest fault
 */
record FaultReport(
        String scenario,
        int events,
        int deliveries,
        int delivered,
        int lost,
        int duplicates,
        int unaccepted,
        int failedAttempts,
        Duration recovery,
        List<String> duplicatesAwayFromFaults,
        int eventsWrittenTwice,
        int tasksWrittenTwice,
        int retriesWrittenTwice,
        int tierWrittenTwice,
        List<String> duplicateDetails) {

    /**
     * How long before a fault a delivery may have been first delivered and still be sent again by the take-over:
     * the dispatcher commits every 200 ms and the matcher every second; 3 s leaves room for a busy machine.
     */
    static final Duration BEFORE_FAULT = Duration.ofSeconds(3);

    /** How long after a fault's recovery a duplicate may still be first delivered (the slowest hand-over's tail). */
    static final Duration AFTER_RECOVERY = Duration.ofSeconds(3);

    /** The one retry tier of the cluster tests ({@code campanello.kafka.retry-delays=1s,1s}). */
    static final String TIER = "webhooks.retry.1s";

    /** The accounting of {@code load}'s accepted events at {@code receiver}, subscriptions by the path they post to. */
    static FaultReport of(
            String scenario, Load load, Receiver receiver, Map<String, String> subscriptionsByPath, List<Long> faults) {
        Map<Integer, Load.Accepted> accepted = load.accepted();
        int lost = 0;
        int delivered = 0;
        int duplicates = 0;
        int unaccepted = 0;
        List<Long> recoveries = new ArrayList<>(faults.stream().map(fault -> 0L).toList());
        List<Receiver.Delivered> duplicated = new ArrayList<>();
        List<String> duplicatedIds = new ArrayList<>();
        for (Map.Entry<String, String> subscription : subscriptionsByPath.entrySet()) {
            Map<String, Receiver.Delivered> arrived = receiver.deliveredAt(subscription.getKey());
            Set<String> expected = new HashSet<>();
            for (Load.Accepted event : accepted.values()) {
                String id = Ids.deliveryId(event.eventId(), subscription.getValue());
                expected.add(id);
                Receiver.Delivered delivery = arrived.get(id);
                if (delivery == null) {
                    lost++;
                    continue;
                }
                delivered++;
                for (int i = 0; i < faults.size(); i++) {
                    if (event.atNanos() < faults.get(i)) {
                        recoveries.set(i, Math.max(recoveries.get(i), delivery.firstNanos() - faults.get(i)));
                    }
                }
            }
            for (Map.Entry<String, Receiver.Delivered> arrival : arrived.entrySet()) {
                if (!expected.contains(arrival.getKey())) {
                    unaccepted++;
                } else if (arrival.getValue().count() > 1) {
                    duplicates += arrival.getValue().count() - 1;
                    duplicated.add(arrival.getValue());
                    duplicatedIds.add(subscription.getKey() + " " + arrival.getKey());
                }
            }
        }
        List<String> away = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (int d = 0; d < duplicated.size(); d++) {
            long first = duplicated.get(d).firstNanos();
            long nearest = faults.stream()
                    .min(java.util.Comparator.comparingLong(fault -> Math.abs(first - fault)))
                    .orElse(first);
            details.add(duplicatedIds.get(d) + " x" + duplicated.get(d).count() + " first "
                    + Duration.ofNanos(first - nearest).toMillis() + " ms from fault " + faults.indexOf(nearest));
            boolean nearAFault = false;
            for (int i = 0; i < faults.size(); i++) {
                long from = faults.get(i) - BEFORE_FAULT.toNanos();
                long to = faults.get(i) + recoveries.get(i) + AFTER_RECOVERY.toNanos();
                nearAFault |= first >= from && first <= to;
            }
            if (!nearAFault) {
                away.add(duplicatedIds.get(d));
            }
        }
        long longest = recoveries.stream().mapToLong(Long::longValue).max().orElse(0);
        return new FaultReport(
                scenario,
                accepted.size(),
                accepted.size() * subscriptionsByPath.size(),
                delivered,
                lost,
                duplicates,
                unaccepted,
                load.failedAttempts(),
                Duration.ofNanos(longest),
                away,
                -1,
                -1,
                -1,
                -1,
                details);
    }

    /** This report with what Kafka holds twice, read from {@code kafka}. */
    FaultReport withWritten(KafkaCluster kafka, Load load, Map<String, String> subscriptionsByPath) {
        Set<String> events = new HashSet<>();
        load.accepted().values().forEach(event -> events.add(event.eventId()));
        return new FaultReport(
                scenario,
                this.events,
                deliveries,
                delivered,
                lost,
                duplicates,
                unaccepted,
                failedAttempts,
                recovery,
                duplicatesAwayFromFaults,
                Written.eventsTwice(kafka.bootstrapServers(), events),
                Written.tasksTwice(kafka.bootstrapServers(), new HashSet<>(subscriptionsByPath.values())),
                Written.retriesTwice(kafka.bootstrapServers(), new HashSet<>(subscriptionsByPath.values())),
                Written.tierTwice(kafka.bootstrapServers(), TIER, new HashSet<>(subscriptionsByPath.values())),
                duplicateDetails);
    }

    /** The header of {@link #row()}. */
    static String header() {
        return "| scenario | events accepted | deliveries expected | delivered | lost | duplicates | events written twice"
                + " | tasks written twice | retries written twice (tier / handed back) | delivered, not accepted"
                + " | posts sent again | time to recover |\n|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    /** A Markdown table row: the figures BENCHMARKS.md keeps. */
    String row() {
        return "| " + scenario + " | " + events + " | " + deliveries + " | " + delivered + " | " + lost + " | "
                + duplicates + " | " + eventsWrittenTwice + " | " + tasksWrittenTwice + " | " + tierWrittenTwice + " / "
                + retriesWrittenTwice + " | " + unaccepted + " | "
                + failedAttempts + " | "
                + String.format("%.1f s", recovery.toMillis() / 1000.0) + " |";
    }
}
