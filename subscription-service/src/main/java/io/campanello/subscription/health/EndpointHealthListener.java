package io.campanello.subscription.health;

import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.v1.EndpointHealth;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads webhooks.endpoint-health, which the dispatcher writes on every change of an endpoint's state; the offset is
 * committed once the reaction (a disabled subscription, an event) is written.
 */
@Component
class EndpointHealthListener {

    private final UnhealthyEndpoints endpoints;

    EndpointHealthListener(UnhealthyEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @KafkaListener(
            id = "endpoint-health",
            groupId = "campanello-subscription-health",
            topics = "${campanello.kafka.topics.endpoint-health:webhooks.endpoint-health}")
    void onHealth(ConsumerRecord<String, SpecificRecord> record) throws InterruptedException {
        if (record.value() == null) {
            // The dispatcher forgot an endpoint (its subscription was deleted): nothing to act on.
            return;
        }
        if (!(record.value() instanceof EndpointHealth health)) {
            throw new UnreadableRecordException("not an EndpointHealth");
        }
        try {
            endpoints.changed(health).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not act on an endpoint's health", e.getCause());
        }
    }
}
