package io.campanello.retry.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.retry.deadletter.DeadLetterSummary;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A replay job as the API shows it: its filter, its state and its progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ReplayView(
        String id,
        ReplayState state,
        boolean dryRun,
        int ratePerSecond,
        Map<String, Object> filter,
        long scanned,
        long matched,
        long sent,
        long failed,
        Instant createdAt,
        Instant finishedAt,
        String error) {

    static ReplayView of(ReplayJob job) {
        Map<String, Object> filter = new LinkedHashMap<>();
        if (job.getSubscriptionId() != null) {
            filter.put("subscription", job.getSubscriptionId());
        }
        if (job.getEventType() != null) {
            filter.put("type", job.getEventType());
        }
        if (job.getReason() != null) {
            filter.put("reason", DeadLetterSummary.reasonCode(job.getReason()));
        }
        if (job.getSince() != null) {
            filter.put("since", job.getSince());
        }
        if (job.getUntil() != null) {
            filter.put("until", job.getUntil());
        }
        return new ReplayView(
                job.getId(),
                job.getState(),
                job.getDryRun(),
                job.getRatePerSecond(),
                filter,
                job.getScanned(),
                job.getMatched(),
                job.getSent(),
                job.getFailed(),
                job.getCreatedAt(),
                job.getFinishedAt(),
                job.getError());
    }
}
