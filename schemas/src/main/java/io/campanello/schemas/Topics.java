package io.campanello.schemas;

import java.time.Duration;

/**
 * Default names of Campanello's topics. Every name is configuration ({@code campanello.kafka.topics.*});
 * these are the values a deployment gets when it configures nothing.
 */
public final class Topics {

    /** Accepted events (EventEnvelope), key = tenant + "/" + subject, or the event id without subject. */
    public static final String EVENTS = "webhooks.events";

    /** Subscriptions (Subscription), compacted, key = subscription id, tombstone on delete. */
    public static final String SUBSCRIPTIONS = "webhooks.subscriptions";

    /** Fresh deliveries (DeliveryTask) from the matcher, key = subscription id. */
    public static final String DELIVERIES = "webhooks.deliveries";

    /** Deliveries whose retry is due (DeliveryTask), handed back by the retry service, key = subscription id. */
    public static final String REDELIVERIES = "webhooks.redeliveries";

    /** Deliveries of paused or disabled subscriptions (DeliveryTask), kept in order until resumed, key = subscription id. */
    public static final String PARKED = "webhooks.parked";

    /** The event-type catalog (EventType), compacted, key = tenant + "/" + name. */
    public static final String EVENT_TYPES = "webhooks.event-types";

    /** Outcome of every HTTP attempt (DeliveryAttempt), key = delivery id. */
    public static final String ATTEMPTS = "webhooks.attempts";

    /** Deliveries that will not be attempted again (DeadLetter), key = subscription id. */
    public static final String DLQ = "webhooks.dlq";

    /** Replay jobs and their progress (ReplayJob), compacted, key = job id. */
    public static final String REPLAYS = "webhooks.replays";

    /** Dead letters a replay has sent (ReplayMark), compacted, key = dead letter id. */
    public static final String REPLAYED = "webhooks.dlq.replayed";

    /** How each endpoint has been answering (EndpointHealth), compacted, key = subscription id; written by the dispatcher. */
    public static final String ENDPOINT_HEALTH = "webhooks.endpoint-health";

    /**
     * Each dispatcher instance's view of each endpoint right now (EndpointStatus), compacted, key = subscription id +
     * "/" + instance; read by the subscription service for {@code GET /v1/subscriptions/{id}/health}.
     */
    public static final String ENDPOINT_STATUS = "webhooks.endpoint-status";

    /** Source-topic records that could not be read: original key and bytes, the error in headers. */
    public static final String INGEST_DLQ = "webhooks.ingest.dlq";

    /** Prefix of the retry tiers; one topic per distinct delay, e.g. {@code webhooks.retry.30s}. */
    public static final String RETRY_PREFIX = "webhooks.retry.";

    private Topics() {}

    /** The retry tier topic for a delay: {@code webhooks.retry.5s}, {@code webhooks.retry.2m}, {@code webhooks.retry.6h}. */
    public static String retryTier(String prefix, Duration delay) {
        return prefix + compact(delay);
    }

    /** A delay written the way people write it: 500ms, 5s, 2m, 6h, 1d (the largest unit that divides it). */
    public static String compact(Duration delay) {
        long millis = delay.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("a retry delay must be positive: " + delay);
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
