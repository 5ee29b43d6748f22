package io.campanello.history.api;

import io.campanello.api.Tenant;
import io.campanello.history.api.DeliveryViews.DeliveryDetail;
import io.campanello.history.api.DeliveryViews.DeliveryPage;
import io.campanello.history.api.DeliveryViews.Redelivery;
import io.campanello.history.record.LocalHistory;
import io.campanello.schemas.Ids;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/internal/…}: the same queries answered from this instance's partitions alone, for the other history
 * instances ({@link Instances}). Behind the same API keys and tenant scoping as the public API, so it shows a caller
 * nothing the public API would not.
 */
@Hidden
@RestController
@RequestMapping("/v1/internal")
class InternalHistoryController {

    private final HistoryQueries queries;

    InternalHistoryController(HistoryQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/deliveries/{id}")
    Mono<DeliveryDetail> delivery(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        String scope = Requests.scope(tenant, chosenTenant);
        return HistoryController.blocking(() -> queries.delivery(scope, Requests.id(Ids.DELIVERY, id, "a delivery"))
                .orElseThrow(() -> HistoryController.deliveryNotFound(id)));
    }

    @GetMapping("/events/{id}/deliveries")
    Mono<DeliveryPage> ofEvent(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        String scope = Requests.scope(tenant, chosenTenant);
        return HistoryController.blocking(() ->
                new DeliveryPage(queries.ofEvent(scope, Requests.id(Ids.EVENT, id, "an event")), null));
    }

    @GetMapping("/subscriptions/{id}/deliveries")
    Mono<DeliveryPage> ofSubscription(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Instant until,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        var filter = new LocalHistory.Filter(
                Requests.scope(tenant, chosenTenant), Requests.status(status), type, since, until);
        String subscriptionId = Requests.id(Ids.SUBSCRIPTION, id, "a subscription");
        int size = Requests.limit(limit);
        Cursor after = Cursor.parse(cursor);
        return HistoryController.blocking(() -> queries.ofSubscription(subscriptionId, filter, after, size));
    }

    @GetMapping("/subscriptions/{id}/stats")
    Mono<SubscriptionStats> stats(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            @RequestParam(defaultValue = "1h") String window) {
        String scope = Requests.scope(tenant, chosenTenant);
        String subscriptionId = Requests.id(Ids.SUBSCRIPTION, id, "a subscription");
        var duration = Requests.window(window);
        return HistoryController.blocking(() -> queries.stats(scope, subscriptionId, duration));
    }

    @PostMapping("/deliveries/{id}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Redelivery> redeliver(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        String scope = Requests.scope(tenant, chosenTenant);
        return HistoryController.blocking(() -> queries.redeliver(scope, Requests.id(Ids.DELIVERY, id, "a delivery"))
                .orElseThrow(() -> HistoryController.deliveryNotFound(id)));
    }
}
