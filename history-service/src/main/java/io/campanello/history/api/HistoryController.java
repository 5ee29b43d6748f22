package io.campanello.history.api;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.history.api.DeliveryViews.DeliveryDetail;
import io.campanello.history.api.DeliveryViews.DeliveryPage;
import io.campanello.history.api.DeliveryViews.DeliverySummary;
import io.campanello.history.api.DeliveryViews.Redelivery;
import io.campanello.history.record.HistoryKeys;
import io.campanello.history.record.HistoryStreams;
import io.campanello.history.record.LocalHistory;
import io.campanello.schemas.Ids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The delivery history. A subscription's log lives on one instance (asked directly); a delivery or an event's
 * deliveries may be on any (each instance is asked for what it holds). A tenant key sees its own tenant's; an admin
 * key the tenant it names in {@code Campanello-Tenant}, or every tenant.
 */
@RestController
@Tag(name = "Delivery history", description = "What happened to each delivery, with every attempt")
class HistoryController {

    private static final Comparator<DeliverySummary> NEWEST_FIRST = Comparator.comparing(HistoryController::position);

    private final HistoryQueries queries;
    private final HistoryStreams streams;
    private final Instances instances;

    HistoryController(HistoryQueries queries, HistoryStreams streams, Instances instances) {
        this.queries = queries;
        this.streams = streams;
        this.instances = instances;
    }

    @Operation(summary = "One delivery with every attempt (status, duration, answer or error) and its payload")
    @GetMapping("/v1/deliveries/{id}")
    Mono<DeliveryDetail> delivery(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            ServerHttpRequest request) {
        String deliveryId = Requests.id(Ids.DELIVERY, id, "a delivery");
        String scope = Requests.scope(tenant, chosenTenant);
        return hereOrOnTheOthers(() -> queries.delivery(scope, deliveryId), request, DeliveryDetail.class, deliveryId);
    }

    @Operation(summary = "The deliveries of an event, one per subscription, newest first")
    @GetMapping("/v1/events/{id}/deliveries")
    Mono<DeliveryPage> ofEvent(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor,
            ServerHttpRequest request) {
        String eventId = Requests.id(Ids.EVENT, id, "an event");
        String scope = Requests.scope(tenant, chosenTenant);
        int size = Requests.limit(limit);
        Cursor after = Cursor.parse(cursor);
        return blocking(() -> queries.ofEvent(scope, eventId))
                .flatMap(local -> Flux.fromIterable(others())
                        .flatMap(host -> instances.ask(host, request, DeliveryPage.class, "event_not_found"))
                        .map(DeliveryPage::items)
                        .reduce(new ArrayList<>(local), (all, more) -> {
                            all.addAll(more);
                            return all;
                        }))
                .map(all -> {
                    if (all.isEmpty()) {
                        throw ApiException.notFound("event_not_found", "no deliveries of event " + eventId);
                    }
                    return page(all, after, size);
                });
    }

    @Operation(summary = "A subscription's deliveries, newest first, filtered by status, event type and time")
    @GetMapping("/v1/subscriptions/{id}/deliveries")
    Mono<DeliveryPage> ofSubscription(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Instant until,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor,
            ServerHttpRequest request) {
        String subscriptionId = Requests.id(Ids.SUBSCRIPTION, id, "a subscription");
        var filter = new LocalHistory.Filter(
                Requests.scope(tenant, chosenTenant), Requests.status(status), type, since, until);
        int size = Requests.limit(limit);
        Cursor after = Cursor.parse(cursor);
        return atOwner(
                subscriptionId,
                () -> queries.ofSubscription(subscriptionId, filter, after, size),
                host -> instances.ask(host, request, DeliveryPage.class, ""));
    }

    @Operation(summary = "How a subscription's endpoint did over a window: volume by status, success rate, latency")
    @GetMapping("/v1/subscriptions/{id}/stats")
    Mono<SubscriptionStats> stats(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            @RequestParam(defaultValue = "1h") String window,
            ServerHttpRequest request) {
        String subscriptionId = Requests.id(Ids.SUBSCRIPTION, id, "a subscription");
        String scope = Requests.scope(tenant, chosenTenant);
        var duration = Requests.window(window);
        return atOwner(
                subscriptionId,
                () -> queries.stats(scope, subscriptionId, duration),
                host -> instances.ask(host, request, SubscriptionStats.class, ""));
    }

    @Operation(summary = "Sends a delivery again now, with the same webhook-id and a fresh retry schedule")
    @PostMapping("/v1/deliveries/{id}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Redelivery> redeliver(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id,
            ServerHttpRequest request) {
        String deliveryId = Requests.id(Ids.DELIVERY, id, "a delivery");
        String scope = Requests.scope(tenant, chosenTenant);
        return hereOrOnTheOthers(() -> queries.redeliver(scope, deliveryId), request, Redelivery.class, deliveryId);
    }

    /**
     * A delivery id does not say which partition holds it: this instance answers if it holds the delivery, else the
     * other instances are asked one by one (the same request, the caller's key), else 404.
     */
    private <T> Mono<T> hereOrOnTheOthers(
            Callable<Optional<T>> local, ServerHttpRequest request, Class<T> type, String deliveryId) {
        return blocking(local)
                .flatMap(found -> found.map(Mono::just)
                        .orElseGet(() -> Flux.fromIterable(others())
                                .concatMap(host -> instances.ask(host, request, type, "delivery_not_found"))
                                .next()))
                .switchIfEmpty(Mono.error(() -> deliveryNotFound(deliveryId)));
    }

    private <T> Mono<T> atOwner(
            String subscriptionId, Callable<T> local, java.util.function.Function<HostInfo, Mono<T>> remote) {
        HostInfo owner;
        try {
            owner = streams.ownerOf(subscriptionId).orElseThrow(HistoryQueries::unavailable);
        } catch (InvalidStateStoreException e) {
            throw HistoryQueries.unavailable();
        }
        return owner.equals(streams.self()) ? blocking(local) : remote.apply(owner);
    }

    private List<HostInfo> others() {
        try {
            return streams.instances().stream()
                    .filter(host -> !host.equals(streams.self()))
                    .toList();
        } catch (InvalidStateStoreException e) {
            throw HistoryQueries.unavailable();
        }
    }

    static DeliveryPage page(List<DeliverySummary> all, Cursor after, int limit) {
        List<DeliverySummary> sorted = all.stream()
                .distinct()
                .sorted(NEWEST_FIRST)
                .filter(summary -> after == null || position(summary).compareTo(after.position()) > 0)
                .toList();
        List<DeliverySummary> items = sorted.subList(0, Math.min(limit, sorted.size()));
        String next = sorted.size() > limit
                ? Cursor.at(position(items.get(items.size() - 1))).text()
                : null;
        return new DeliveryPage(items, next);
    }

    private static String position(DeliverySummary summary) {
        return HistoryKeys.countdown(summary.createdAt()) + "/" + summary.id();
    }

    static ApiException deliveryNotFound(String deliveryId) {
        return ApiException.notFound("delivery_not_found", "no delivery " + deliveryId + " in the history");
    }

    static <T> Mono<T> blocking(Callable<T> query) {
        return Mono.fromCallable(query).subscribeOn(Schedulers.boundedElastic());
    }
}
