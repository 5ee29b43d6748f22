package io.campanello.history.record;

import io.campanello.kafka.RetrySchedule;
import io.campanello.schemas.AvroTrust;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryStatus;
import io.campanello.schemas.v1.DeliveryTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How each record read from the delivery topics changes a delivery's history. The topics are read side by side, so
 * a record may come after a newer one of another topic: a status is only ever replaced by one from a record at least
 * as new, and an attempt read twice (after a crash) is kept once.
 */
final class Histories {

    /** Where a task was read: each place says something else about the delivery. */
    enum TaskSource {
        /** webhooks.deliveries: the matcher created it. */
        FRESH,
        /** webhooks.redeliveries: a retry is due, or an operator sent it again (then its attempts start at 0). */
        REDELIVERY,
        /** webhooks.parked: its subscription is paused or disabled. */
        PARKED
    }

    private final RetrySchedule schedule;

    Histories(RetrySchedule schedule) {
        // Building a record with an enum asks Avro to load its class, which it refuses until our package is trusted.
        AvroTrust.install();
        this.schedule = schedule;
    }

    DeliveryHistory onTask(DeliveryHistory current, DeliveryTask task, TaskSource source, Instant at) {
        DeliveryHistory.Builder history = current == null ? start(task, at) : DeliveryHistory.newBuilder(current);
        if (history.getEvent() == null) {
            history.setEvent(task.getEvent());
        }
        history.setTest(history.getTest() || task.getTest());
        switch (source) {
            case FRESH:
                if (current == null) {
                    setStatus(history, DeliveryStatus.PENDING, at);
                }
                break;
            case REDELIVERY:
                boolean sentAgain = task.getAttempts() == 0;
                if (setStatus(history, sentAgain ? DeliveryStatus.PENDING : DeliveryStatus.RETRYING, at)) {
                    history.setNextAttemptAt(null);
                    if (sentAgain) {
                        history.setDeadReason(null);
                    }
                }
                break;
            case PARKED:
                setStatus(history, DeliveryStatus.PARKED, at);
                break;
            default:
                throw new IllegalArgumentException("unknown task source " + source);
        }
        return history.build();
    }

    DeliveryHistory onAttempt(DeliveryHistory current, DeliveryAttempt attempt, Instant at) {
        DeliveryHistory.Builder history = current == null ? start(attempt, at) : DeliveryHistory.newBuilder(current);
        List<DeliveryAttempt> attempts = new ArrayList<>(history.getAttempts());
        boolean seen = attempts.stream()
                .anyMatch(made -> made.getAttempt() == attempt.getAttempt()
                        && made.getStartedAt().equals(attempt.getStartedAt()));
        if (seen) {
            return history.build();
        }
        attempts.add(attempt);
        attempts.sort(Comparator.comparing(DeliveryAttempt::getStartedAt));
        history.setAttempts(attempts);
        Instant ended = attempt.getStartedAt().plusMillis(attempt.getDurationMillis());
        if (attempt.getOutcome() == AttemptOutcome.DELIVERED) {
            if (setStatus(history, DeliveryStatus.DELIVERED, at)) {
                history.setNextAttemptAt(null);
            }
        } else if (attempt.getOutcome() == AttemptOutcome.PERMANENT || history.getTest()) {
            // A permanent failure goes to the dead letters next; a test send is never retried.
            setStatus(history, DeliveryStatus.DEAD, at);
        } else if (setStatus(history, DeliveryStatus.RETRYING, at)) {
            history.setNextAttemptAt(schedule.tierAfter(attempt.getAttempt())
                    .map(tier -> ended.plus(tier.delay()))
                    .orElse(null));
        }
        return history.build();
    }

    DeliveryHistory onDeadLetter(DeliveryHistory current, DeadLetter deadLetter, Instant at) {
        DeliveryHistory.Builder history =
                current == null ? start(deadLetter.getTask(), at) : DeliveryHistory.newBuilder(current);
        if (history.getEvent() == null) {
            history.setEvent(deadLetter.getTask().getEvent());
        }
        if (setStatus(history, DeliveryStatus.DEAD, at)) {
            history.setNextAttemptAt(null);
            history.setDeadReason(deadLetter.getReason().name().toLowerCase(Locale.ROOT));
        }
        return history.build();
    }

    /** Sets the status unless the current one came from a newer record; whether it was set. */
    private static boolean setStatus(DeliveryHistory.Builder history, DeliveryStatus status, Instant at) {
        if (history.hasStatusAt() && history.getStatusAt().isAfter(at)) {
            return false;
        }
        history.setStatus(status);
        history.setStatusAt(at);
        return true;
    }

    private static DeliveryHistory.Builder start(DeliveryTask task, Instant at) {
        return DeliveryHistory.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setCreatedAt(at)
                .setStatus(DeliveryStatus.PENDING)
                .setStatusAt(Instant.EPOCH)
                .setEvent(task.getEvent())
                .setAttempts(List.of());
    }

    private static DeliveryHistory.Builder start(DeliveryAttempt attempt, Instant at) {
        return DeliveryHistory.newBuilder()
                .setDeliveryId(attempt.getDeliveryId())
                .setSubscriptionId(attempt.getSubscriptionId())
                .setTenant(attempt.getTenant())
                .setEventId(attempt.getEventId())
                .setEventType(attempt.getEventType())
                .setCreatedAt(at.isBefore(attempt.getStartedAt()) ? at : attempt.getStartedAt())
                .setStatus(DeliveryStatus.PENDING)
                .setStatusAt(Instant.EPOCH)
                .setAttempts(List.of());
    }
}
