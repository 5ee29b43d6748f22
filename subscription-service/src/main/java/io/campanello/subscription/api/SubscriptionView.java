package io.campanello.subscription.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.schemas.v1.Subscription;
import java.time.Instant;
import java.util.List;

/** A subscription as the API shows it; the secret only in the answer to its creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubscriptionView(String id, String url, List<String> eventTypes, Instant createdAt, String secret) {

    static SubscriptionView of(Subscription subscription) {
        return new SubscriptionView(
                subscription.getId(),
                subscription.getUrl(),
                subscription.getEventTypes(),
                subscription.getCreatedAt(),
                null);
    }

    static SubscriptionView created(Subscription subscription) {
        return new SubscriptionView(
                subscription.getId(),
                subscription.getUrl(),
                subscription.getEventTypes(),
                subscription.getCreatedAt(),
                subscription.getSecret());
    }
}
