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
