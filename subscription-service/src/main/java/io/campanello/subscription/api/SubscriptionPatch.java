package io.campanello.subscription.api;

import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.PayloadFormat;
import java.util.List;
import java.util.Map;

/** The body of {@code PATCH /v1/subscriptions/{id}}: the fields present are changed; an empty filter removes it. */
record SubscriptionPatch(
        String url,
        List<String> eventTypes,
        String filter,
        MatchMode mode,
        Map<String, String> headers,
        PayloadFormat payloadFormat,
        Integer timeoutMillis,
        Integer maxConcurrency,
        Integer rateLimit) {}
