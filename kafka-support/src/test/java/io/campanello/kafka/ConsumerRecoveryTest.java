package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ConsumerRecoveryTest {

    private final ConsumerRecovery recovery =
            new ConsumerRecovery(4, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(2));

    @Test
    void restartsATransientFailureWithABackoffThatDoublesUpToTheLongest() {
        TimeoutException timeout = new TimeoutException("poll timed out");

        assertThat(recovery.afterFailure(1, timeout)).isEqualTo(new ConsumerRecovery.Restart(Duration.ofSeconds(1)));
        assertThat(recovery.afterFailure(2, timeout)).isEqualTo(new ConsumerRecovery.Restart(Duration.ofSeconds(2)));
        assertThat(recovery.afterFailure(3, timeout)).isEqualTo(new ConsumerRecovery.Restart(Duration.ofSeconds(4)));
        assertThat(recovery.afterFailure(4, timeout)).isEqualTo(new ConsumerRecovery.Restart(Duration.ofSeconds(5)));
    }

    @Test
    void givesUpWhenRestartsKeepFailing() {
        assertThat(recovery.afterFailure(5, new DisconnectException("broker away")))
                .isInstanceOf(ConsumerRecovery.GiveUp.class);
    }

    @Test
    void givesUpAtOnceOnAFailureARestartCannotCure() {
        assertThat(recovery.afterFailure(1, new TopicAuthorizationException("denied")))
                .isInstanceOf(ConsumerRecovery.GiveUp.class);
        assertThat(recovery.afterFailure(1, new KafkaException("wrapped", new SaslAuthenticationException("bad"))))
                .isInstanceOf(ConsumerRecovery.GiveUp.class);
        assertThat(recovery.afterFailure(1, new OutOfMemoryError())).isInstanceOf(ConsumerRecovery.GiveUp.class);
    }

    @Test
    void aBugInTheLoopIsRestartedLikeATransientFailure() {
        assertThat(recovery.afterFailure(1, new NullPointerException()))
                .isEqualTo(new ConsumerRecovery.Restart(Duration.ofSeconds(1)));
    }

    @Test
    void aConsumerThatRanLongEnoughCountsItsNextFailureAsTheFirst() {
        assertThat(recovery.failuresInARow(4, Duration.ofMinutes(3))).isEqualTo(1);
        assertThat(recovery.failuresInARow(4, Duration.ofSeconds(10))).isEqualTo(5);
    }

    @Test
    void noAttemptsMeansTheFirstFailureGivesUp() {
        var never = new ConsumerRecovery(0, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(2));

        assertThat(never.afterFailure(1, new TimeoutException("t"))).isInstanceOf(ConsumerRecovery.GiveUp.class);
    }
}
