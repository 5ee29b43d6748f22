package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PointInTimeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsHowLongAgoInEveryUnit() {
        assertThat(PointInTime.parse("90s", clock)).isEqualTo("2026-11-23T11:58:30Z");
        assertThat(PointInTime.parse("15m", clock)).isEqualTo("2026-11-23T11:45:00Z");
        assertThat(PointInTime.parse("2h", clock)).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(PointInTime.parse("1d", clock)).isEqualTo("2026-11-22T12:00:00Z");
        assertThat(PointInTime.parse("1w", clock)).isEqualTo("2026-11-16T12:00:00Z");
    }

    @Test
    void readsInstantsWithAnyOffsetAndDatesAsUtcMidnight() {
        assertThat(PointInTime.parse("2026-11-20T08:00:00Z", clock)).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(PointInTime.parse("2026-11-20T09:00:00+01:00", clock)).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(PointInTime.parse("2026-11-20", clock)).isEqualTo("2026-11-20T00:00:00Z");
    }

    @Test
    void refusesWhatIsNoTime() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PointInTime.parse("2 hours", clock))
                .withMessageContaining("'2 hours' is not a time");
        assertThatIllegalArgumentException().isThrownBy(() -> PointInTime.parse("-2h", clock));
        assertThatIllegalArgumentException().isThrownBy(() -> PointInTime.parse("2026-13-01", clock));
    }
}
