package io.campanello.subscription.matching;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns each event into one delivery task per matching subscription of its tenant. The event's offset is
 * committed only after every task is acknowledged; matching it again after a crash yields the same delivery ids.
 */
@Component
class Matcher {

    private static final Logger log = LoggerFactory.getLogger(Matcher.class);

    private final SubscriptionIndex index;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String deliveriesTopic;

    Matcher(
            SubscriptionIndex index,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties) {
        this.index = index;
        this.kafka = kafka;
        this.deliveriesTopic = properties.topics().deliveries();
    }

    @KafkaListener(
            id = "matcher",
            topics = "${campanello.kafka.topics.events:webhooks.events}",
            groupId = "campanello-matcher")
    void onEvent(ConsumerRecord<String, SpecificRecord> record) throws InterruptedException {
        if (!(record.value() instanceof EventEnvelope event)) {
            throw new UnreadableRecordException("not an EventEnvelope");
        }
        List<Subscription> matches = index.matching(event.getTenant(), event.getType());
        CompletableFuture<?>[] writes = matches.stream()
                .map(subscription -> kafka.send(deliveriesTopic, subscription.getId(), task(event, subscription)))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(writes).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write delivery tasks", e.getCause());
        }
        log.debug("matched event_id={} type={} deliveries={}", event.getId(), event.getType(), matches.size());
    }

    static DeliveryTask task(EventEnvelope event, Subscription subscription) {
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscription.getId()))
                .setSubscriptionId(subscription.getId())
                .setTenant(event.getTenant())
                .setEvent(event)
                .build();
    }
}
