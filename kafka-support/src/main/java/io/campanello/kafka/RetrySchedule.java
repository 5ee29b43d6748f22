package io.campanello.kafka;

import io.campanello.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The retry schedule as data: after the n-th failed attempt a delivery waits {@code delays[n-1]} on that delay's
 * tier topic; after the last delay's attempt fails, the schedule is exhausted.
 */
public record RetrySchedule(String topicPrefix, List<Duration> delays) {

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
    }

    /** The most HTTP attempts a delivery gets: the first one and one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** The tier a delivery goes to after {@code attemptsMade} failed attempts, or empty when exhausted. */
    public Optional<RetryTier> tierAfter(int attemptsMade) {
        if (attemptsMade < 1 || attemptsMade > delays.size()) {
            return Optional.empty();
        }
        Duration delay = delays.get(attemptsMade - 1);
        return Optional.of(new RetryTier(Topics.retryTier(topicPrefix, delay), delay));
    }

    /**
     * The tier for a failure whose receiver asked to wait ({@code Retry-After}): the usual tier, or a later one whose
     * delay covers the wait — never an earlier one. Empty when no tier is left.
     */
    public Optional<Placement> placeAfter(int attemptsMade, Duration retryAfter) {
        int index = attemptsMade - 1;
        if (index < 0 || index >= delays.size()) {
            return Optional.empty();
        }
        while (retryAfter != null && delays.get(index).compareTo(retryAfter) < 0 && index + 1 < delays.size()) {
            index++;
        }
        Duration delay = delays.get(index);
        return Optional.of(new Placement(new RetryTier(Topics.retryTier(topicPrefix, delay), delay), index + 1));
    }

    /**
     * How long a task waits on a tier: the tier's delay ± 20 % (so that a recovering receiver is not hit by a
     * synchronized wave), or what the receiver asked for within [delay, 2 × delay].
     *
     * @param random a number in [0, 1)
     */
    public static Duration wait(Duration delay, Duration retryAfter, double random) {
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            Duration twice = delay.multipliedBy(2);
            return retryAfter.compareTo(twice) < 0 ? retryAfter : twice;
        }
        long millis = delay.toMillis();
        return Duration.ofMillis(Math.round(millis * (0.8 + 0.4 * random)));
    }

    /** Where a failed delivery goes: its tier, and the attempt count it carries there (later if tiers were skipped). */
    public record Placement(RetryTier tier, int attempts) {}

    /** Every tier topic, one per distinct delay. */
    public List<String> tierTopics() {
        return delays.stream()
                .map(delay -> Topics.retryTier(topicPrefix, delay))
                .distinct()
                .toList();
    }

    /** One tier: the topic where deliveries wait {@code delay}. */
    public record RetryTier(String topic, Duration delay) {}
}
