package io.campanello.subscription.api;

import io.campanello.api.Tenant;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EndpointStatus;
import io.campanello.schemas.v1.Subscription;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/subscriptions/{id}/health}: why a subscription's deliveries are or are not going out, from what the
 * dispatcher instances report on webhooks.endpoint-status.
 */
@RestController
@RequestMapping("/v1/subscriptions")
class SubscriptionHealthController {

    private final Subscriptions subscriptions;
    private final TopicTable<EndpointStatus> statuses;

    SubscriptionHealthController(Subscriptions subscriptions, TopicTable<EndpointStatus> statuses) {
        this.subscriptions = subscriptions;
        this.statuses = statuses;
    }

    @GetMapping("/{id}/health")
    SubscriptionHealth health(Tenant tenant, @PathVariable String id) {
        Subscription subscription = subscriptions.get(tenant.id(), id);
        return SubscriptionHealth.of(
                subscription,
                statuses.values().stream()
                        .filter(status -> status.getSubscriptionId().equals(id)
                                && status.getTenant().equals(tenant.id()))
                        .toList());
    }
}
