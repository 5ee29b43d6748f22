package io.campanello.subscription.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.PayloadFormat;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscription as the API shows it: the secret only in the answer to its creation, custom header values never
 * (each shows as {@link #MASK}: they often hold the receiver's credentials).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubscriptionView(
        String id,
        String url,
        List<String> eventTypes,
        String filter,
        MatchMode mode,
        SubscriptionStatus status,
        Map<String, String> headers,
        PayloadFormat payloadFormat,
        Integer timeoutMillis,
        Integer maxConcurrency,
        Integer rateLimit,
        int revision,
        Instant createdAt,
        Instant updatedAt,
        Instant activatedAt,
        String secret) {

    /** What a custom header's value shows as. */
    static final String MASK = "••••";

    static SubscriptionView of(Subscription subscription) {
        return of(subscription, null);
    }

    static SubscriptionView of(Subscription subscription, String secret) {
        return new SubscriptionView(
                subscription.getId(),
                subscription.getUrl(),
                subscription.getEventTypes(),
                subscription.getFilter(),
                subscription.getMode(),
                subscription.getStatus(),
                masked(subscription),
                subscription.getPayloadFormat(),
                subscription.getTimeoutMillis(),
                subscription.getMaxConcurrency(),
                subscription.getRateLimit(),
                subscription.getRevision(),
                subscription.getCreatedAt(),
                subscription.getUpdatedAt(),
                subscription.getActivatedAt(),
                secret);
    }

    private static Map<String, String> masked(Subscription subscription) {
        // The same choice as SecretCipher.openHeaders: the sealed headers, or the clear ones of an older record.
        Map<String, ?> headers =
                subscription.getSealedHeaders().isEmpty() ? subscription.getHeaders() : subscription.getSealedHeaders();
        Map<String, String> masked = new LinkedHashMap<>();
        headers.keySet().forEach(name -> masked.put(name, MASK));
        return masked;
    }
}
