package io.campanello.retry.schedule;

import io.campanello.schemas.v1.DeliveryTask;
import java.time.Instant;

/** When a waiting task is due; a task without a due time is due at once. */
final class DueTime {

    private DueTime() {}

    static boolean isDue(DeliveryTask task, Instant now) {
        return task.getNotBefore() == null || !task.getNotBefore().isAfter(now);
    }
}
