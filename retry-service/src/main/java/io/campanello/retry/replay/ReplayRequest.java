package io.campanello.retry.replay;

import io.campanello.api.ApiException;
import io.campanello.retry.deadletter.DeadLetterSummary;
import io.campanello.schemas.v1.DeadLetterReason;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /v1/replays}: which dead letters to send again, and how. "Recover" is a replay with
 * {@code filter.subscription} and {@code filter.since}: every failed delivery of one subscription since then.
 *
 * @param includeReplayed send again dead letters an earlier replay already sent (off: replaying twice is a choice)
 */
record ReplayRequest(Filter filter, Boolean dryRun, Integer ratePerSecond, Boolean includeReplayed) {

    /** Null fields do not restrict; {@code reason} as the API writes it ({@code exhausted}) or its enum name. */
    record Filter(String subscription, String type, String reason, Instant since, Instant until) {

        DeadLetterReason reasonValue() {
            if (reason == null) {
                return null;
            }
            try {
                return DeadLetterReason.valueOf(reason.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        "invalid_replay",
                        "'reason' is one of "
                                + Arrays.stream(DeadLetterReason.values())
                                        .map(DeadLetterSummary::reasonCode)
                                        .collect(Collectors.joining(", ")));
            }
        }
    }
}
