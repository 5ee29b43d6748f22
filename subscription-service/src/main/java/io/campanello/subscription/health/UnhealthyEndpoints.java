package io.campanello.subscription.health;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.Subscription;
import io.campanello.subscription.api.Subscriptions;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Acts on the dispatcher's verdicts about endpoints: a failing endpoint is reported to its tenant, a gone or
 * long-failing one has its subscription disabled and reported. Reports are events on webhooks.events, keyed like
 * every event (tenant + "/" + subject), with the subscription id as subject.
 */
@Component
class UnhealthyEndpoints {

    private static final Logger log = LoggerFactory.getLogger(UnhealthyEndpoints.class);

    private final TopicTable<Subscription> table;
    private final Subscriptions subscriptions;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String eventsTopic;
    private final OperationalEvents events;

    UnhealthyEndpoints(
            TopicTable<Subscription> table,
            Subscriptions subscriptions,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            ObjectMapper json,
            Clock clock) {
        this.table = table;
        this.subscriptions = subscriptions;
        this.kafka = kafka;
        this.eventsTopic = properties.topics().events();
        this.events = new OperationalEvents(json, clock);
    }

    /** Completes once everything this change called for is acknowledged by Kafka. */
    CompletableFuture<Void> changed(EndpointHealth health) {
        Subscription subscription = table.get(health.getSubscriptionId()).orElse(null);
        HealthReaction reaction = HealthReaction.to(health, subscription);
        switch (reaction) {
            case TELL_FAILING:
                log.info("endpoint failing subscription_id={}", health.getSubscriptionId());
                return tell(health, subscription, OperationalEvents.FAILING);
            case DISABLE:
                log.info(
                        "disabling subscription subscription_id={} reason={}",
                        health.getSubscriptionId(),
                        health.getReason());
                // Async: the next send must not run on the producer's I/O thread, which completed the first one; a
                // send there waiting for topic metadata would wait for itself.
                return subscriptions
                        .disable(subscription.getId())
                        .thenComposeAsync(disabled -> tell(health, subscription, OperationalEvents.DISABLED));
            case TELL_DISABLED:
                return tell(health, subscription, OperationalEvents.DISABLED);
            case NONE:
            default:
                return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> tell(EndpointHealth health, Subscription subscription, String type) {
        EventEnvelope event = events.about(health, subscription.getTenant(), type);
        return kafka.send(eventsTopic, subscription.getTenant() + "/" + event.getSubject(), event)
                .thenAccept(result -> {});
    }
}
