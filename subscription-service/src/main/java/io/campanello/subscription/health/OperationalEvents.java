package io.campanello.subscription.health;

import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * The events Campanello raises about a tenant's own subscriptions. They are ordinary events of that tenant, so its
 * subscriptions to {@code campanello.subscription.*} receive them like any other.
 */
final class OperationalEvents {

    /** The endpoint kept failing; sent once per run of failures. */
    static final String FAILING = "campanello.subscription.failing";

    /** The subscription was disabled: its endpoint answered 410 Gone or failed for the whole disable period. */
    static final String DISABLED = "campanello.subscription.disabled";

    static final String SOURCE = "/campanello/subscriptions";

    private static final HexFormat HEX = HexFormat.of();
    private static final int ID_BYTES = 12;

    private final ObjectMapper json;
    private final Clock clock;

    OperationalEvents(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** The event of a type about an endpoint's health, for the tenant that owns the subscription. */
    EventEnvelope about(EndpointHealth health, String tenant, String type) {
        return EventEnvelope.newBuilder()
                .setId(eventId(health))
                .setTenant(tenant)
                .setType(type)
                .setSource(SOURCE)
                .setSubject(health.getSubscriptionId())
                .setTime(health.getUpdatedAt())
                .setReceivedAt(clock.instant())
                .setDataContentType("application/json")
                .setData(json.writeValueAsString(data(health)))
                .build();
    }

    private static Map<String, Object> data(EndpointHealth health) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptionId", health.getSubscriptionId());
        data.put("url", health.getUrl());
        data.put("state", health.getState().name());
        data.put(
                "failingSince",
                health.getFailingSince() == null
                        ? null
                        : health.getFailingSince().toString());
        data.put("consecutiveFailures", health.getConsecutiveFailures());
        data.put("lastStatus", health.getLastStatus());
        data.put("lastError", health.getLastError());
        data.put("reason", health.getReason());
        return data;
    }

    /**
     * Derived from the subscription, the state and the start of the failures, not drawn at random: reading the same
     * health record again (after a restart) raises the same event, so its deliveries keep their {@code webhook-id}
     * and receivers drop the duplicate.
     */
    static String eventId(EndpointHealth health) {
        String failingSince = health.getFailingSince() == null
                ? "-"
                : Long.toString(health.getFailingSince().toEpochMilli());
        String seed = health.getSubscriptionId() + "/" + health.getState() + "/" + failingSince;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return Ids.EVENT + HEX.formatHex(digest, 0, ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
