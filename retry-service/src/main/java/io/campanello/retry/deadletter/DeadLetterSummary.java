package io.campanello.retry.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import java.time.Instant;
import java.util.Locale;

/**
 * What the operator API shows of a dead letter in a list. Its id is where it lies on webhooks.dlq,
 * {@code <partition>-<offset>}, so that the whole record can be read back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterSummary(
        String id,
        String tenant,
        String deliveryId,
        String subscriptionId,
        String eventId,
        String eventType,
        String reason,
        Integer lastStatus,
        String lastError,
        int attempts,
        Instant firstAttemptAt,
        Instant lastAttemptAt,
        Instant deadAt) {

    static String idOf(int partition, long offset) {
        return partition + "-" + offset;
    }

    public static DeadLetterSummary of(String id, DeadLetter deadLetter) {
        DeliveryTask task = deadLetter.getTask();
        return new DeadLetterSummary(
                id,
                task.getTenant(),
                task.getDeliveryId(),
                task.getSubscriptionId(),
                task.getEvent().getId(),
                task.getEvent().getType(),
                reasonCode(deadLetter.getReason()),
                task.getLastStatus(),
                task.getLastError(),
                task.getAttempts(),
                task.getFirstAttemptAt(),
                task.getLastAttemptAt(),
                deadLetter.getDeadAt());
    }

    /** The reason as the API and the headers write it: {@code exhausted}, {@code permanent_status}, … */
    public static String reasonCode(DeadLetterReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
