package io.campanello.retry.deadletter;

import java.time.Instant;

/**
 * Which dead letters an operator asks for; null fields do not restrict.
 *
 * @param tenant null: every tenant (an admin key without a tenant)
 */
public record DeadLetterQuery(
        String tenant, String subscriptionId, String eventType, String reason, Instant since, Instant until) {

    public boolean matches(DeadLetterSummary deadLetter) {
        return (tenant == null || tenant.equals(deadLetter.tenant()))
                && (subscriptionId == null || subscriptionId.equals(deadLetter.subscriptionId()))
                && (eventType == null || eventType.equals(deadLetter.eventType()))
                && (reason == null || reason.equals(deadLetter.reason()))
                && (since == null || !deadLetter.deadAt().isBefore(since))
                && (until == null || deadLetter.deadAt().isBefore(until));
    }
}
