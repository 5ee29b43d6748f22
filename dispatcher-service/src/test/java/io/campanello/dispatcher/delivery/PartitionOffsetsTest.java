package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    private final PartitionOffsets offsets = new PartitionOffsets();

    @Test
    void commitsNothingBeforeTheOldestStartedRecordFinishes() {
        offsets.started(10);
        offsets.started(11);
        offsets.finished(11);

        assertThat(offsets.toCommit()).isEqualTo(-1);
        assertThat(offsets.inFlight()).isEqualTo(2);
    }

    @Test
    void commitsUpToTheOldestUnfinishedRecordWhateverOrderTheyFinishIn() {
        offsets.started(10);
        offsets.started(11);
        offsets.started(12);
        offsets.finished(12);
        offsets.finished(10);

        assertThat(offsets.toCommit()).as("11 is still in flight").isEqualTo(11);

        offsets.finished(11);

        assertThat(offsets.toCommit()).isEqualTo(13);
        assertThat(offsets.idle()).isTrue();
    }

    @Test
    void anOffsetCommittedOnceIsNotCommittedAgain() {
        offsets.started(5);
        offsets.finished(5);
        offsets.committed(offsets.toCommit());

        assertThat(offsets.toCommit()).isEqualTo(-1);
    }

    @Test
    void aRecordFinishedOrNeverStartedHereIsNotStarted() {
        offsets.started(20);
        offsets.started(21);
        offsets.finished(21);

        assertThat(offsets.isStarted(20)).isTrue();
        assertThat(offsets.isStarted(21)).as("finished").isFalse();
        assertThat(offsets.isStarted(19)).as("before what this instance read").isFalse();
    }
}
