package io.campanello.ingest.event;

import io.campanello.ingest.IngestProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes accepted events to webhooks.events; the returned future completes once Kafka acknowledged (acks=all). Its
 * producer is the shared idempotent one with every wait bounded by {@code campanello.ingest.kafka-timeout}: when the
 * brokers are unreachable a write fails within that time instead of the client's default minutes.
 */
@Component
public class EventWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

    /** The client's default since Kafka 4.0. */
    private static final long DEFAULT_LINGER_MS = 5;

    private final ProducerFactory<String, SpecificRecord> producers;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final Duration timeout;

    EventWriter(
            DefaultKafkaProducerFactory<String, SpecificRecord> kafkaProducerFactory,
            CampanelloKafkaProperties kafkaProperties,
            IngestProperties properties) {
        this.timeout = properties.kafkaTimeout();
        this.producers = kafkaProducerFactory.copyWithConfigurationOverride(boundedWaits(
                timeout, kafkaProducerFactory.getConfigurationProperties().get(ProducerConfig.LINGER_MS_CONFIG)));
        this.kafka = new KafkaTemplate<>(producers);
        kafka.setProducerListener(listener());
        this.topic = kafkaProperties.topics().events();
    }

    /**
     * A send may wait for metadata ({@code max.block.ms}) and for the acknowledgement ({@code delivery.timeout.ms},
     * which must cover {@code request.timeout.ms} plus {@code linger.ms}) at most the Kafka timeout each.
     */
    static Map<String, Object> boundedWaits(Duration timeout, Object configuredLinger) {
        long millis = timeout.toMillis();
        long linger = configuredLinger == null ? DEFAULT_LINGER_MS : Long.parseLong(configuredLinger.toString());
        long request = Math.max(millis / 2, 1);
        return Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(millis, linger + request));
    }

    /** Writes on the calling thread, which may wait up to the Kafka timeout for the brokers' metadata. */
    public CompletableFuture<EventEnvelope> write(EventEnvelope event) {
        return kafka.send(topic, key(event), event).thenApply(result -> event);
    }

    /**
     * Writes without ever holding the caller's thread (the send runs on a bounded pool); completes once Kafka
     * acknowledged, or fails with {@link KafkaUnavailableException} within the Kafka timeout.
     */
    public Mono<EventEnvelope> send(EventEnvelope event) {
        return Mono.fromFuture(() -> acknowledged(event))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout, Mono.just(Optional.empty()))
                .flatMap(written ->
                        written.map(Mono::just).orElseGet(() -> Mono.error(new KafkaUnavailableException(timeout))));
    }

    /**
     * The event once Kafka acknowledged it, or empty; never a failed future, because a failure that comes after the
     * request was already answered 503 would have nobody to go to. Failures are logged by {@link #listener()}.
     */
    private CompletableFuture<Optional<EventEnvelope>> acknowledged(EventEnvelope event) {
        try {
            return write(event).handle((written, error) -> Optional.ofNullable(error == null ? written : null));
        } catch (org.apache.kafka.common.KafkaException | org.springframework.kafka.KafkaException e) {
            log.warn("event not written topic={} error={}", topic, e.getMessage());
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** Logs failed sends without the record: events are the producers' data. */
    private static ProducerListener<String, SpecificRecord> listener() {
        return new ProducerListener<>() {
            @Override
            public void onError(
                    ProducerRecord<String, SpecificRecord> record, RecordMetadata metadata, Exception exception) {
                log.warn("event not acknowledged topic={} error={}", record.topic(), exception.getMessage());
            }
        };
    }

    /**
     * Events of one subject share a partition, so they are matched and delivered in order. The key is also a function
     * of what names an event (every derived id includes the tenant and the subject, see {@link EventParser}): two
     * copies of one event always land on one partition, where the matcher's dedupe store for that partition sees
     * both and drops the second.
     */
    static String key(EventEnvelope event) {
        return event.getTenant() + "/" + (event.getSubject() != null ? event.getSubject() : event.getId());
    }

    @Override
    public void destroy() {
        if (producers instanceof DisposableBean disposable) {
            try {
                disposable.destroy();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the event producer", e);
            }
        }
    }
}
