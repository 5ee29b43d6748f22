package io.campanello.dispatcher.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Deliveries of each subscription this instance put on the retry path and has not seen come back (from
 * webhooks.redeliveries): deferred without a request (endpoint busy, circuit open; marked with
 * {@link io.campanello.schemas.KafkaHeaders#RETRY_PATH}) or retrying after a failed request. A delivery can come back to
 * another instance, so one instance's count may go below zero; the sum over the instances is what waits.
 */
@Component
class RetryPathCounts {

    /** Both counts of one subscription. */
    record Counts(AtomicLong deferred, AtomicLong retrying) {

        Counts() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    private final Map<String, Counts> bySubscription = new ConcurrentHashMap<>();

    void deferred(String subscriptionId) {
        of(subscriptionId).deferred().incrementAndGet();
    }

    void retrying(String subscriptionId) {
        of(subscriptionId).retrying().incrementAndGet();
    }

    /** A delivery came back from the retry path; {@code deferred} when it had been deferred rather than retried. */
    void cameBack(String subscriptionId, boolean deferred) {
        Counts counts = of(subscriptionId);
        (deferred ? counts.deferred() : counts.retrying()).decrementAndGet();
    }

    long deferredOf(String subscriptionId) {
        Counts counts = bySubscription.get(subscriptionId);
        return counts == null ? 0 : counts.deferred().get();
    }

    long retryingOf(String subscriptionId) {
        Counts counts = bySubscription.get(subscriptionId);
        return counts == null ? 0 : counts.retrying().get();
    }

    private Counts of(String subscriptionId) {
        return bySubscription.computeIfAbsent(subscriptionId, id -> new Counts());
    }
}
