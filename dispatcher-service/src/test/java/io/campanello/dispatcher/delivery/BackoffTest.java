package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheFirstPauseUpToTheLast() {
        Backoff backoff = Backoff.KAFKA_WRITES;

        assertThat(backoff.after(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(Duration.ofSeconds(16))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }
}
