package io.campanello.retry.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HandedBackTest {

    @Test
    void theOffsetsAfterTheCommittedOneAreReadBackFromTheMetadata() {
        String metadata = HandedBack.metadata(100, new TreeSet<>(List.of(98L, 101L, 103L, 5_000L)));

        assertThat(HandedBack.offsets(100, metadata)).containsExactly(101L, 103L, 5_000L);
    }

    @Test
    void nothingHandedBackWritesNoMetadata() {
        assertThat(HandedBack.metadata(7, new TreeSet<>())).isEmpty();
        assertThat(HandedBack.offsets(7, "")).isEmpty();
        assertThat(HandedBack.offsets(7, null)).isEmpty();
    }

    @Test
    void theMetadataStaysUnderKafkasDefaultLimitAndLeavesOutWhatIsTooFarAhead() {
        TreeSet<Long> handedBack = new TreeSet<>();
        for (long offset = 0; offset < 40_000; offset++) {
            handedBack.add(offset);
        }

        String metadata = HandedBack.metadata(0, handedBack);

        assertThat(metadata.length()).isLessThan(4_096);
        assertThat(HandedBack.offsets(0, metadata))
                .hasSize(HandedBack.SPAN)
                .last()
                .isEqualTo(HandedBack.SPAN - 1L);
    }

    @Test
    void metadataWrittenBySomethingElseIsIgnored() {
        assertThat(HandedBack.offsets(0, "handed-back:not base64!")).isEmpty();
        assertThat(HandedBack.offsets(0, "something")).isEmpty();
    }
}
