package io.campanello.retry.replay;

import io.campanello.schemas.v1.DeadLetterReason;
import java.time.Instant;

/**
 * The body of {@code POST /v1/replays}: which dead letters to send again, and how. "Recover" is a replay with
 * {@code filter.subscription} and {@code filter.since}: every failed delivery of one subscription since then.
 *
 * @param includeReplayed send again dead letters an earlier replay already sent (off: replaying twice is a choice)
 */
record ReplayRequest(Filter filter, Boolean dryRun, Integer ratePerSecond, Boolean includeReplayed) {

    /** Null fields do not restrict. */
    record Filter(String subscription, String type, DeadLetterReason reason, Instant since, Instant until) {}
}
