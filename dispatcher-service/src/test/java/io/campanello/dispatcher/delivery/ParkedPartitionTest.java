package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParkedPartitionTest {

    @Test
    void aHeldRecordDoesNotStopTheOnesBehindItButKeepsTheCommitBeforeIt() {
        ParkedPartition partition = new ParkedPartition();
        partition.hold(0, "sub_a", 0);
        partition.done(1);
        partition.done(2);

        assertThat(partition.committable()).hasValue(0);
        assertThat(partition.handled(1, "sub_b")).isTrue();
        assertThat(partition.handled(0, "sub_a")).isFalse();
        assertThat(partition.handled(3, "sub_b")).isFalse();
    }

    @Test
    void aSubscriptionsLaterRecordsWaitBehindItsHeldOnes() {
        ParkedPartition partition = new ParkedPartition();
        partition.hold(4, "sub_a", 0);

        assertThat(partition.heldBefore("sub_a", 7)).isTrue();
        assertThat(partition.heldBefore("sub_a", 4)).isFalse();
        assertThat(partition.heldBefore("sub_b", 7)).isFalse();
    }

    @Test
    void isReadAgainFromTheFirstHeldRecordOfASubscriptionThatMayGoOn() {
        ParkedPartition partition = new ParkedPartition();
        partition.hold(2, "sub_paused", 0);
        partition.hold(5, "sub_resumed", 0);
        partition.hold(9, "sub_resumed", 0);

        assertThat(partition.firstReleased((id, parkedAt) -> id.equals("sub_resumed")))
                .hasValue(5L);
        assertThat(partition.firstReleased((id, parkedAt) -> false)).isEmpty();

        partition.done(5);
        partition.done(9);
        assertThat(partition.committable()).hasValue(2);
        partition.done(2);
        assertThat(partition.committable()).hasValue(10);
    }

    @Test
    void aNewOwnerSkipsWhatTheLastOneHandledAndReadsAgainWhatItHeld() {
        ParkingMarks marks = new ParkingMarks(10, Map.of(ParkingMarks.hash("sub_a"), 3L), true);
        ParkedPartition partition = new ParkedPartition(Optional.of(marks));

        assertThat(partition.handled(4, "sub_b"))
                .as("handled by the last owner")
                .isTrue();
        assertThat(partition.handled(4, "sub_a")).as("held by the last owner").isFalse();
        assertThat(partition.handled(2, "sub_a"))
                .as("before its first held record")
                .isTrue();
        assertThat(partition.handled(10, "sub_b")).as("never read").isFalse();
        assertThat(partition.committable())
                .as("nothing committed until read as far")
                .isEmpty();

        partition.hold(4, "sub_a", 0);
        partition.done(9);
        assertThat(partition.committable()).hasValue(4);
        assertThat(partition.marks().holds("sub_a")).isTrue();
        assertThat(partition.marks().holds("sub_b")).isFalse();
    }

    @Test
    void marksThatCouldNotListEverySubscriptionMakeTheNewOwnerHandleAgain() {
        ParkedPartition partition = new ParkedPartition(Optional.of(new ParkingMarks(10, Map.of(), false)));

        assertThat(partition.handled(4, "sub_b")).isFalse();
    }

    @Test
    void isReadAgainFromARecordParkedTooLong() {
        ParkedPartition partition = new ParkedPartition();
        partition.hold(2, "sub_young", 5_000);
        partition.hold(5, "sub_old", 1_000);

        assertThat(partition.firstReleased((id, parkedAt) -> parkedAt < 2_000)).hasValue(5L);
    }

    @Test
    void forgetsHeldRecordsThatRetentionDeleted() {
        ParkedPartition partition = new ParkedPartition();
        partition.hold(1, "sub_a", 0);
        partition.hold(8, "sub_a", 0);

        assertThat(partition.expireBefore(5)).isEqualTo(1);
        assertThat(partition.heldCount()).isEqualTo(1);
        assertThat(partition.committable()).hasValue(8);
    }
}
