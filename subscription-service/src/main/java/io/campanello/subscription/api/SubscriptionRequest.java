package io.campanello.subscription.api;

import java.util.List;

/** The body of {@code POST /v1/subscriptions}. */
record SubscriptionRequest(String url, List<String> eventTypes) {}
