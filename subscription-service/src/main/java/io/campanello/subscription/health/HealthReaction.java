package io.campanello.subscription.health;

import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the subscription service does about one change of an endpoint's health. */
enum HealthReaction {

    /** Nothing: a state the owner is not told about, a deleted subscription, or a record older than its last change. */
    NONE,

    /** Tell the tenant that the endpoint keeps failing ({@code campanello.subscription.failing}). */
    TELL_FAILING,

    /** Disable the subscription and tell the tenant ({@code campanello.subscription.disabled}). */
    DISABLE,

    /**
     * Tell the tenant of a subscription disabled already. The health record is read again only when the service
     * stopped before committing it, perhaps between disabling and telling: the event keeps its id, so a second one
     * is a duplicate receivers drop.
     */
    TELL_DISABLED;

    /**
     * @param subscription the subscription as it is now, null when it was deleted
     */
    static HealthReaction to(EndpointHealth health, Subscription subscription) {
        if (subscription == null) {
            return NONE;
        }
        if (health.getState() == EndpointState.DISABLED && subscription.getStatus() == SubscriptionStatus.DISABLED) {
            return TELL_DISABLED;
        }
        if (changedSince(subscription, health.getUpdatedAt())) {
            // Its owner re-enabled or changed it after the dispatcher judged the endpoint: that judgement is stale
            // (this is a record read again, e.g. after the consumer group's offsets expired).
            return NONE;
        }
        if (health.getState() == EndpointState.FAILING) {
            return TELL_FAILING;
        }
        if (health.getState() == EndpointState.DISABLED) {
            return DISABLE;
        }
        return NONE;
    }

    private static boolean changedSince(Subscription subscription, Instant judged) {
        Instant changed =
                subscription.getUpdatedAt() != null ? subscription.getUpdatedAt() : subscription.getCreatedAt();
        // Records on the topic hold milliseconds; a change still in memory may hold more.
        return changed.truncatedTo(ChronoUnit.MILLIS).isAfter(judged);
    }
}
