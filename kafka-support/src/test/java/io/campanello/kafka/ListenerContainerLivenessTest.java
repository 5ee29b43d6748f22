package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ConsumerStoppingEvent;

class ListenerContainerLivenessTest {

    private final Object container = new Object();

    @Test
    void aConsumerStoppedNormallyIsNotStoppedForGood() {
        assertThat(ListenerContainerLiveness.stoppedForGood(
                        new ConsumerStoppedEvent(container, container, ConsumerStoppedEvent.Reason.NORMAL)))
                .isNull();
        assertThat(ListenerContainerLiveness.stoppedForGood(
                        new ConsumerStoppingEvent(container, container, null, java.util.List.of())))
                .isNull();
    }

    @Test
    void aConsumerStoppedByAnErrorOrThatNeverStartedIsStoppedForGood() {
        assertThat(ListenerContainerLiveness.stoppedForGood(
                        new ConsumerStoppedEvent(container, container, ConsumerStoppedEvent.Reason.AUTH)))
                .contains("AUTH");
        assertThat(ListenerContainerLiveness.stoppedForGood(
                        new ConsumerStoppedEvent(container, container, ConsumerStoppedEvent.Reason.ABNORMAL)))
                .contains("ABNORMAL");
        assertThat(ListenerContainerLiveness.stoppedForGood(new ConsumerFailedToStartEvent(container, container)))
                .isNotNull();
    }
}
