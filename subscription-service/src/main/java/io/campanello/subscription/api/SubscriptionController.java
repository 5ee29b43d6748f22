package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /v1/subscriptions}: create, list, read and delete the caller's subscriptions. */
@RestController
@RequestMapping("/v1/subscriptions")
class SubscriptionController {

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping
    Mono<ResponseEntity<SubscriptionView>> create(
            Tenant tenant, @RequestBody(required = false) SubscriptionRequest request) {
        if (request == null) {
            return Mono.error(
                    ApiException.badRequest("invalid_subscription", "a JSON body {url, eventTypes} is required"));
        }
        return Mono.fromFuture(() -> subscriptions.create(tenant.id(), request))
                .map(created -> ResponseEntity.created(URI.create("/v1/subscriptions/" + created.getId()))
                        .body(SubscriptionView.created(created)));
    }

    @GetMapping
    List<SubscriptionView> list(Tenant tenant) {
        return subscriptions.list(tenant.id()).stream()
                .map(SubscriptionView::of)
                .toList();
    }

    @GetMapping("/{id}")
    SubscriptionView get(Tenant tenant, @PathVariable String id) {
        return SubscriptionView.of(subscriptions.get(tenant.id(), id));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(Tenant tenant, @PathVariable String id) {
        return Mono.fromFuture(() -> subscriptions.delete(tenant.id(), id))
                .thenReturn(ResponseEntity.noContent().build());
    }
}
