package io.campanello.retry.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.api.ApiException;
import io.campanello.schemas.v1.DeadLetterReason;
import org.junit.jupiter.api.Test;

class ReplayRequestTest {

    @Test
    void everyReasonADeadLetterCanHaveCanBeReplayedByItsCode() {
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            String code = reason.name().toLowerCase(java.util.Locale.ROOT);

            assertThat(new ReplayRequest.Filter(null, null, code, null, null).reasonValue())
                    .isEqualTo(reason);
        }
    }

    @Test
    void anUnknownReasonIsRefusedNamingEveryReason() {
        assertThatThrownBy(() -> new ReplayRequest.Filter(null, null, "lost", null, null).reasonValue())
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("invalid_replay"))
                .hasMessageContaining("parked_too_long")
                .hasMessageContaining("unreadable")
                .hasMessageContaining("exhausted");
    }
}
