package io.campanello.subscription.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what a subscription may ask for ({@code campanello.subscriptions.*}).
 *
 * @param minTimeout the shortest response timeout a subscription may set
 * @param maxTimeout the longest
 * @param defaultRotationOverlap how long the previous secret keeps signing after a rotation
 * @param maxRotationOverlap the longest overlap a rotation may ask for
 * @param maxPerTenant how many subscriptions one tenant may have (any status); one more is refused 429
 *     {@code quota_exceeded}
 * @param urlCheckTimeout how long a create or PATCH waits for the URL's host to resolve before refusing it
 */
@ConfigurationProperties("campanello.subscriptions")
record SubscriptionsProperties(
        @DefaultValue("1s") Duration minTimeout,
        @DefaultValue("30s") Duration maxTimeout,
        @DefaultValue("24h") Duration defaultRotationOverlap,
        @DefaultValue("7d") Duration maxRotationOverlap,
        @DefaultValue("1000") int maxPerTenant,
        @DefaultValue("5s") Duration urlCheckTimeout) {}
