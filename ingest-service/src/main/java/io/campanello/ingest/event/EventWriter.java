package io.campanello.ingest.event;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.v1.EventEnvelope;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Writes accepted events to webhooks.events; the returned future completes once Kafka acknowledged. */
@Component
public class EventWriter {

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;

    EventWriter(KafkaTemplate<String, SpecificRecord> kafka, CampanelloKafkaProperties properties) {
        this.kafka = kafka;
        this.topic = properties.topics().events();
    }

    public CompletableFuture<EventEnvelope> write(EventEnvelope event) {
        return kafka.send(topic, key(event), event).thenApply(result -> event);
    }

    /** Events of one subject share a partition, so they are matched and delivered in order. */
    static String key(EventEnvelope event) {
        return event.getTenant() + "/" + (event.getSubject() != null ? event.getSubject() : event.getId());
    }
}
