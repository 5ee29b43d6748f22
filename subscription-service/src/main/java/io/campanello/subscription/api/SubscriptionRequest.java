package io.campanello.subscription.api;

import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.PayloadFormat;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/subscriptions}: only {@code url} and {@code eventTypes} are required.
 *
 * @param activate create it ACTIVE instead of DRAFT
 * @param secret a {@code whsec_} secret to use instead of a generated one
 * @param maxConcurrency at most this many calls in flight to the endpoint at once (1 to 1000); none: the
 *     dispatcher's default
 * @param rateLimit at most this many calls per second to the endpoint (1 to 10000); none: no limit
 */
record SubscriptionRequest(
        String url,
        List<String> eventTypes,
        String filter,
        MatchMode mode,
        Boolean activate,
        Map<String, String> headers,
        PayloadFormat payloadFormat,
        Integer timeoutMillis,
        String secret,
        Integer maxConcurrency,
        Integer rateLimit) {}
