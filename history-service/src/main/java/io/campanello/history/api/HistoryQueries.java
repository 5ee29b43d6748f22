package io.campanello.history.api;

import io.campanello.api.ApiException;
import io.campanello.history.api.DeliveryViews.DeliveryDetail;
import io.campanello.history.api.DeliveryViews.DeliveryPage;
import io.campanello.history.api.DeliveryViews.DeliverySummary;
import io.campanello.history.api.DeliveryViews.Redelivery;
import io.campanello.history.record.HistoryStreams;
import io.campanello.history.record.LocalHistory;
import io.campanello.schemas.v1.DeliveryHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The history queries answered from this instance's partitions alone; {@link HistoryController} decides which
 * instance asks which. {@code tenant} null: every tenant (an admin key without {@code Campanello-Tenant}).
 */
@Component
class HistoryQueries {

    private final HistoryStreams streams;
    private final Redeliveries redeliveries;
    private final ObjectMapper json;
    private final Clock clock;

    HistoryQueries(HistoryStreams streams, Redeliveries redeliveries, ObjectMapper json, Clock clock) {
        this.streams = streams;
        this.redeliveries = redeliveries;
        this.json = json;
        this.clock = clock;
    }

    Optional<DeliveryDetail> delivery(String tenant, String deliveryId) {
        return local().delivery(tenant, deliveryId).map(history -> DeliveryViews.detail(history, json));
    }

    List<DeliverySummary> ofEvent(String tenant, String eventId) {
        return local().ofEvent(tenant, eventId).stream()
                .map(DeliveryViews::summary)
                .toList();
    }

    DeliveryPage ofSubscription(String subscriptionId, LocalHistory.Filter filter, Cursor cursor, int limit) {
        LocalHistory.Page page =
                local().ofSubscription(subscriptionId, filter, cursor == null ? null : cursor.position(), limit);
        if (page.otherTenant()) {
            throw notFound(subscriptionId);
        }
        return new DeliveryPage(
                page.items().stream().map(DeliveryViews::summary).toList(),
                page.after() == null ? null : Cursor.at(page.after()).text());
    }

    SubscriptionStats stats(String tenant, String subscriptionId, Duration window) {
        Instant to = clock.instant();
        Instant from = to.minus(window);
        LocalHistory history = local();
        List<DeliveryHistory> deliveries;
        try {
            deliveries = history.window(subscriptionId, tenant, from, to);
        } catch (LocalHistory.OtherTenantException e) {
            throw notFound(subscriptionId);
        }
        return SubscriptionStats.of(subscriptionId, from, to, deliveries, deliveries.size() >= history.maxScan());
    }

    /** Sends the delivery again if this instance holds it: the same task, attempts from 0, same webhook-id. */
    Optional<Redelivery> redeliver(String tenant, String deliveryId) {
        Optional<DeliveryHistory> found = local().delivery(tenant, deliveryId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DeliveryHistory history = found.get();
        if (history.getEvent() == null) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "payload_unknown",
                    "the history has this delivery's attempts but not its event (its task is older than the history)");
        }
        redeliveries.send(history);
        return Optional.of(new Redelivery(history.getDeliveryId(), history.getSubscriptionId(), "pending"));
    }

    private LocalHistory local() {
        try {
            return streams.local();
        } catch (InvalidStateStoreException e) {
            throw unavailable();
        }
    }

    static ApiException unavailable() {
        return new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "history_unavailable",
                "the history is starting or moving between instances; try again in a few seconds");
    }

    static ApiException notFound(String subscriptionId) {
        return ApiException.notFound("subscription_not_found", "no subscription " + subscriptionId);
    }
}
