package io.campanello.history.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryKeysTest {

    @Test
    void aSubscriptionsLogSortsNewestFirstAndTheAgeIndexOldestFirst() {
        Instant older = Instant.parse("2026-11-29T06:00:00.001Z");
        Instant newer = Instant.parse("2026-11-29T06:00:01Z");
        Instant epoch = Instant.EPOCH;

        List<String> log = List.of(
                HistoryKeys.subscription("sub_1", older, "d1"),
                HistoryKeys.subscription("sub_1", epoch, "d0"),
                HistoryKeys.subscription("sub_1", newer, "d2"));
        List<String> ages =
                List.of(HistoryKeys.age(newer, "d2"), HistoryKeys.age(epoch, "d0"), HistoryKeys.age(older, "d1"));

        assertThat(log.stream().sorted().map(HistoryKeys::deliveryOf)).containsExactly("d2", "d1", "d0");
        assertThat(ages.stream().sorted().map(HistoryKeys::deliveryOf)).containsExactly("d0", "d1", "d2");
    }

    @Test
    void timesAreNineteenDigitsWithZerosInFront() {
        Instant at = Instant.ofEpochMilli(1_796_000_000_123L);

        assertThat(HistoryKeys.age(at, "d1")).isEqualTo("t/0000001796000000123/d1");
        assertThat(HistoryKeys.age(Instant.EPOCH, "d0")).isEqualTo("t/0000000000000000000/d0");
        assertThat(HistoryKeys.countdown(at)).isEqualTo(String.valueOf(Long.MAX_VALUE - 1_796_000_000_123L));
        assertThat(HistoryKeys.countdown(at)).hasSize(19);
    }
}
