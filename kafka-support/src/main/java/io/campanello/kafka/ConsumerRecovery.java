package io.campanello.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a {@link ConsumerLoop} recovers from a failure ({@code campanello.kafka.consumer-recovery.*}): it closes its
 * consumer, waits a back-off that doubles from {@code firstBackoff} up to {@code maxBackoff}, and starts a fresh
 * one; after {@code attempts} failures in a row, or a failure no restart can cure, it gives up and the service's
 * liveness turns DOWN.
 *
 * @param attempts restarts in a row before giving up
 * @param firstBackoff the wait before the first restart
 * @param maxBackoff the longest wait between restarts
 * @param stableAfter a consumer that ran this long before failing counts as a first failure again
 */
@Validated
@ConfigurationProperties("campanello.kafka.consumer-recovery")
public record ConsumerRecovery(
        @Min(0) @DefaultValue("5") int attempts,
        @NotNull @DefaultValue("1s") Duration firstBackoff,
        @NotNull @DefaultValue("30s") Duration maxBackoff,
        @NotNull @DefaultValue("5m") Duration stableAfter) {

    /** The defaults, for a loop that runs outside a Spring context. */
    public static final ConsumerRecovery DEFAULTS =
            new ConsumerRecovery(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    /** What a loop does after a failure. */
    public sealed interface Decision permits Restart, GiveUp {}

    /** Close the consumer, wait {@code backoff}, start a fresh one. */
    public record Restart(Duration backoff) implements Decision {}

    /** Stop for good and turn liveness DOWN. */
    public record GiveUp(String why) implements Decision {}

    /**
     * The failures in a row, this one included: a run that lasted {@code stableAfter} proves the previous restart
     * worked, so the count starts again.
     */
    public int failuresInARow(int previousFailures, Duration lastRun) {
        return lastRun.compareTo(stableAfter) >= 0 ? 1 : previousFailures + 1;
    }

    /** Restart with a doubling back-off, or give up when restarts keep failing or cannot help. */
    public Decision afterFailure(int failuresInARow, Throwable failure) {
        if (!isRecoverable(failure)) {
            return new GiveUp("not recoverable: " + failure.getClass().getName());
        }
        if (failuresInARow > attempts) {
            return new GiveUp(failuresInARow + " failures in a row");
        }
        return new Restart(backoff(failuresInARow));
    }

    /** {@code firstBackoff · 2^(n-1)}, never more than {@code maxBackoff}. */
    Duration backoff(int failuresInARow) {
        Duration backoff = firstBackoff;
        for (int i = 1; i < failuresInARow && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    /**
     * Errors of the JVM, refused credentials or permissions, and a configuration the broker or client rejects come
     * back the same with a fresh consumer; anything else (a broker away, a timeout, a failed commit) may not.
     */
    static boolean isRecoverable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Error
                    || cause instanceof AuthenticationException
                    || cause instanceof AuthorizationException
                    || cause instanceof InvalidConfigurationException
                    || cause instanceof ConfigException
                    || cause instanceof UnsupportedVersionException) {
                return false;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return true;
    }
}
