package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParkingMarksTest {

    @Test
    void travelAsOffsetMetadata() {
        ParkingMarks marks = new ParkingMarks(
                123_456, Map.of(ParkingMarks.hash("sub_a"), 7L, ParkingMarks.hash("sub_b"), 99_999L), true);

        assertThat(ParkingMarks.decode(marks.encode())).hasValue(marks);
        assertThat(ParkingMarks.decode(new ParkingMarks(0, Map.of(), true).encode()))
                .hasValue(new ParkingMarks(0, Map.of(), true));
    }

    @Test
    void metadataOfAnotherKindCarriesNone() {
        assertThat(ParkingMarks.decode(null)).isEmpty();
        assertThat(ParkingMarks.decode("")).isEmpty();
        assertThat(ParkingMarks.decode("p1;zz;1;broken")).isEmpty();
    }

    @Test
    void thatDoNotFitKafkasMetadataAreMarkedIncomplete() {
        Map<String, Long> many = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            many.put(ParkingMarks.hash("sub_" + i), (long) i);
        }
        String encoded = new ParkingMarks(5_000, many, true).encode();

        assertThat(encoded.length()).isLessThanOrEqualTo(4_096);
        ParkingMarks decoded = ParkingMarks.decode(encoded).orElseThrow();
        assertThat(decoded.complete()).isFalse();
        assertThat(decoded.heldFrom()).isNotEmpty();
    }

    @Test
    void aSubscriptionsPartitionIsTheProducers() {
        assertThat(ParkedSubscriptions.partitionOf("sub_a", 1)).isZero();
        assertThat(ParkedSubscriptions.partitionOf("sub_a", 3)).isBetween(0, 2);
    }
}
