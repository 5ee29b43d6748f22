package io.campanello.subscription.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.schemas.v1.CircuitState;
import io.campanello.schemas.v1.EndpointStatus;
import io.campanello.schemas.v1.Subscription;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Why a subscription's deliveries are (or are not) going out: its endpoint's circuit and when it next probes, its
 * failures, and the deliveries waiting — summed over the dispatcher instances, and per instance (circuits, slots and
 * counts are per instance). Counts of deliveries on the retry path are what each instance put there and has not seen
 * come back since it started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubscriptionHealth(
        String subscriptionId,
        String status,
        String url,
        String circuit,
        Instant nextProbeAt,
        int consecutiveFailures,
        Integer lastStatus,
        String lastError,
        Instant lastAttemptAt,
        Instant failingSince,
        Waiting waiting,
        List<Instance> instances) {

    /** Deliveries not yet delivered, by where they wait. */
    record Waiting(long inFlight, long queued, long deferred, long retrying, boolean parked) {}

    /** One dispatcher instance's view. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Instance(
            String instance,
            String circuit,
            Instant nextProbeAt,
            int consecutiveFailures,
            Integer lastStatus,
            String lastError,
            Instant lastAttemptAt,
            Instant failingSince,
            Waiting waiting,
            Instant updatedAt) {

        static Instance of(EndpointStatus status) {
            return new Instance(
                    status.getInstance(),
                    status.getCircuit().name(),
                    status.getNextProbeAt(),
                    status.getConsecutiveFailures(),
                    status.getLastStatus(),
                    status.getLastError(),
                    status.getLastAttemptAt(),
                    status.getFailingSince(),
                    new Waiting(
                            status.getInFlight(),
                            status.getQueued(),
                            Math.max(0, status.getDeferred()),
                            Math.max(0, status.getRetrying()),
                            status.getParked()),
                    status.getUpdatedAt());
        }
    }

    /**
     * The subscription's health from what the instances report: the worst circuit (open before half open before
     * closed) and its earliest probe, the most consecutive failures and the earliest failing-since, the latest
     * request's status or error, and the waiting deliveries summed.
     */
    static SubscriptionHealth of(Subscription subscription, Collection<EndpointStatus> reports) {
        List<EndpointStatus> statuses = reports.stream()
                .sorted(Comparator.comparing(EndpointStatus::getInstance))
                .toList();
        CircuitState circuit = statuses.stream()
                .map(EndpointStatus::getCircuit)
                .max(Comparator.comparingInt(SubscriptionHealth::severity))
                .orElse(CircuitState.CLOSED);
        EndpointStatus latest = statuses.stream()
                .filter(status -> status.getLastAttemptAt() != null)
                .max(Comparator.comparing(EndpointStatus::getLastAttemptAt))
                .orElse(null);
        return new SubscriptionHealth(
                subscription.getId(),
                subscription.getStatus().name(),
                subscription.getUrl(),
                circuit.name(),
                statuses.stream()
                        .filter(status -> status.getCircuit() == CircuitState.OPEN)
                        .map(EndpointStatus::getNextProbeAt)
                        .filter(Objects::nonNull)
                        .min(Comparator.naturalOrder())
                        .orElse(null),
                statuses.stream()
                        .mapToInt(EndpointStatus::getConsecutiveFailures)
                        .max()
                        .orElse(0),
                latest == null ? null : latest.getLastStatus(),
                latest == null ? null : latest.getLastError(),
                latest == null ? null : latest.getLastAttemptAt(),
                statuses.stream()
                        .map(EndpointStatus::getFailingSince)
                        .filter(Objects::nonNull)
                        .min(Comparator.naturalOrder())
                        .orElse(null),
                new Waiting(
                        statuses.stream().mapToLong(EndpointStatus::getInFlight).sum(),
                        statuses.stream().mapToLong(EndpointStatus::getQueued).sum(),
                        Math.max(
                                0,
                                statuses.stream()
                                        .mapToLong(EndpointStatus::getDeferred)
                                        .sum()),
                        Math.max(
                                0,
                                statuses.stream()
                                        .mapToLong(EndpointStatus::getRetrying)
                                        .sum()),
                        statuses.stream().anyMatch(EndpointStatus::getParked)),
                statuses.stream().map(Instance::of).toList());
    }

    private static int severity(CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
