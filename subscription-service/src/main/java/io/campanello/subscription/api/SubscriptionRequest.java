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
        String secret) {}
