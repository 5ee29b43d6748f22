package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.schemas.v1.Subscription;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /v1/subscriptions}: the caller's subscriptions, their lifecycle, secrets and test sends. */
@RestController
@RequestMapping("/v1/subscriptions")
class SubscriptionController {

    private final Subscriptions subscriptions;
    private final TestSends testSends;

    SubscriptionController(Subscriptions subscriptions, TestSends testSends) {
        this.subscriptions = subscriptions;
        this.testSends = testSends;
    }

    @PostMapping
    Mono<ResponseEntity<SubscriptionView>> create(
            Tenant tenant, @RequestBody(required = false) SubscriptionRequest request) {
        if (request == null) {
            return Mono.error(
                    ApiException.badRequest("invalid_subscription", "a JSON body {url, eventTypes} is required"));
        }
        return Mono.fromFuture(() -> subscriptions.create(tenant.id(), request))
                .map(created -> ResponseEntity.created(URI.create(
                                "/v1/subscriptions/" + created.subscription().getId()))
                        .eTag(IfMatch.etag(created.subscription().getRevision()))
                        .body(SubscriptionView.of(created.subscription(), created.secret())));
    }

    @GetMapping
    List<SubscriptionView> list(Tenant tenant) {
        return subscriptions.list(tenant.id()).stream()
                .map(SubscriptionView::of)
                .toList();
    }

    @GetMapping("/{id}")
    ResponseEntity<SubscriptionView> get(Tenant tenant, @PathVariable String id) {
        return withRevision(subscriptions.get(tenant.id(), id));
    }

    @PatchMapping("/{id}")
    Mono<ResponseEntity<SubscriptionView>> patch(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody SubscriptionPatch patch) {
        return Mono.fromFuture(() -> subscriptions.patch(tenant.id(), id, patch, IfMatch.of(ifMatch)))
                .map(SubscriptionController::withRevision);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromFuture(() -> subscriptions.delete(tenant.id(), id, IfMatch.of(ifMatch)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/{id}/activate")
    Mono<ResponseEntity<SubscriptionView>> activate(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromFuture(() -> subscriptions.activate(tenant.id(), id, IfMatch.of(ifMatch)))
                .map(SubscriptionController::withRevision);
    }

    @PostMapping("/{id}/pause")
    Mono<ResponseEntity<SubscriptionView>> pause(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromFuture(() -> subscriptions.pause(tenant.id(), id, IfMatch.of(ifMatch)))
                .map(SubscriptionController::withRevision);
    }

    @PostMapping("/{id}/resume")
    Mono<ResponseEntity<SubscriptionView>> resume(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromFuture(() -> subscriptions.resume(tenant.id(), id, IfMatch.of(ifMatch)))
                .map(SubscriptionController::withRevision);
    }

    @GetMapping("/{id}/secret")
    SecretView secret(Tenant tenant, @PathVariable String id) {
        return SecretView.of(subscriptions.secrets(tenant.id(), id));
    }

    /** The body is optional: {@code {"overlap": "24h", "secret": "whsec_…"}}. */
    @PostMapping("/{id}/secret/rotate")
    Mono<ResponseEntity<SecretView>> rotate(
            Tenant tenant,
            @PathVariable String id,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody(required = false) RotateRequest request) {
        RotateRequest body = request != null ? request : new RotateRequest(null, null);
        return Mono.fromFuture(() ->
                        subscriptions.rotateSecret(tenant.id(), id, body.secret(), body.overlap(), IfMatch.of(ifMatch)))
                .map(rotated -> ResponseEntity.ok()
                        .eTag(IfMatch.etag(rotated.getRevision()))
                        .body(SecretView.of(subscriptions.secrets(tenant.id(), id))));
    }

    @PostMapping("/{id}/test")
    Mono<TestResult> test(Tenant tenant, @PathVariable String id) {
        return Mono.fromFuture(() -> testSends.send(subscriptions.get(tenant.id(), id)))
                .map(TestResult::of);
    }

    /** The answer for one subscription, with its revision as the entity tag that {@code If-Match} names. */
    private static ResponseEntity<SubscriptionView> withRevision(Subscription subscription) {
        return ResponseEntity.ok()
                .eTag(IfMatch.etag(subscription.getRevision()))
                .body(SubscriptionView.of(subscription));
    }

    /** The body of a secret rotation. */
    record RotateRequest(String overlap, String secret) {}
}
