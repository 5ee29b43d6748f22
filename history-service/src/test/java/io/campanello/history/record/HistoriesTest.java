package io.campanello.history.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.history.record.Histories.TaskSource;
import io.campanello.kafka.RetrySchedule;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryStatus;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoriesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private final Histories histories =
            new Histories(new RetrySchedule("webhooks.retry.", List.of(Duration.ofSeconds(5), Duration.ofSeconds(30))));
    private final DeliveryTask task = task();

    @Test
    void aFreshTaskIsPendingWithItsPayload() {
        DeliveryHistory history = histories.onTask(null, task, TaskSource.FRESH, T0);

        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(history.getCreatedAt()).isEqualTo(T0);
        assertThat(history.getEvent().getData()).isEqualTo("{\"amount\":150}");
    }

    @Test
    void aFailedAttemptIsRetryingUntilTheNextTierIsDueThenASuccessDelivers() {
        DeliveryHistory history = histories.onTask(null, task, TaskSource.FRESH, T0);
        history = histories.onAttempt(
                history, attempt(1, AttemptOutcome.RETRYABLE, T0.plusSeconds(1)), T0.plusSeconds(1));

        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(history.getNextAttemptAt())
                .isEqualTo(T0.plusSeconds(1).plusMillis(20).plusSeconds(5));

        history = histories.onAttempt(
                history, attempt(2, AttemptOutcome.DELIVERED, T0.plusSeconds(7)), T0.plusSeconds(7));
        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(history.getNextAttemptAt()).isNull();
        assertThat(history.getAttempts())
                .extracting(DeliveryAttempt::getAttempt)
                .containsExactly(1, 2);
    }

    @Test
    void anAttemptReadTwiceIsKeptOnce() {
        DeliveryAttempt first = attempt(1, AttemptOutcome.RETRYABLE, T0);
        DeliveryHistory history = histories.onAttempt(null, first, T0);
        history = histories.onAttempt(history, first, T0);

        assertThat(history.getAttempts()).hasSize(1);
    }

    @Test
    void anOlderRecordReadLaterDoesNotOverrideTheStatus() {
        DeliveryHistory history =
                histories.onAttempt(null, attempt(1, AttemptOutcome.DELIVERED, T0), T0.plusSeconds(10));
        history = histories.onTask(history, task, TaskSource.FRESH, T0);
        history = histories.onTask(history, task, TaskSource.PARKED, T0.plusSeconds(5));

        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(history.getEvent())
                .as("the payload is taken from the late task")
                .isNotNull();
    }

    @Test
    void aDeadLetterIsDeadWithItsReasonAndAReplayMakesItPendingAgain() {
        DeliveryHistory history = histories.onTask(null, task, TaskSource.FRESH, T0);
        history = histories.onDeadLetter(
                history,
                DeadLetter.newBuilder()
                        .setTask(task)
                        .setReason(DeadLetterReason.EXHAUSTED)
                        .setDeadAt(T0.plusSeconds(60))
                        .build(),
                T0.plusSeconds(60));
        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(history.getDeadReason()).isEqualTo("exhausted");

        history = histories.onTask(history, task, TaskSource.REDELIVERY, T0.plusSeconds(90));
        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(history.getDeadReason()).isNull();
    }

    @Test
    void aParkedTaskIsParked() {
        DeliveryHistory history = histories.onTask(null, task, TaskSource.PARKED, T0);

        assertThat(history.getStatus()).isEqualTo(DeliveryStatus.PARKED);
    }

    private static DeliveryTask task() {
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant("acme")
                .setType("order.created")
                .setTime(T0)
                .setReceivedAt(T0)
                .setData("{\"amount\":150}")
                .build();
        String subscription = Ids.newSubscriptionId();
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscription))
                .setSubscriptionId(subscription)
                .setTenant("acme")
                .setEvent(event)
                .build();
    }

    private DeliveryAttempt attempt(int number, AttemptOutcome outcome, Instant startedAt) {
        return DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(number)
                .setUrl("https://example.com/hook")
                .setStartedAt(startedAt)
                .setDurationMillis(20)
                .setOutcome(outcome)
                .setStatus(outcome == AttemptOutcome.DELIVERED ? 200 : 503)
                .build();
    }
}
