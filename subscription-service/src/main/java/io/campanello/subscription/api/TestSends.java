package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a signed {@code campanello.test} event to one subscription through the normal path (the deliveries topic
 * and the dispatcher), whatever its status, and answers with the outcome of that one attempt.
 */
@Component
class TestSends {

    /** The event type of a test send. */
    static final String TEST_TYPE = "campanello.test";

    /** Longer than any subscription's response timeout, so the attempt is always recorded first. */
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final AttemptWatcher attempts;
    private final String deliveriesTopic;
    private final Clock clock;

    TestSends(
            KafkaTemplate<String, SpecificRecord> kafka,
            AttemptWatcher attempts,
            CampanelloKafkaProperties properties,
            Clock clock) {
        this.kafka = kafka;
        this.attempts = attempts;
        this.deliveriesTopic = properties.topics().deliveries();
        this.clock = clock;
    }

    CompletableFuture<DeliveryAttempt> send(Subscription subscription) {
        Instant now = clock.instant();
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant(subscription.getTenant())
                .setType(TEST_TYPE)
                .setSource("campanello")
                .setSubject(subscription.getId())
                .setTime(now)
                .setReceivedAt(now)
                .setDataContentType("application/json")
                .setData("{\"message\":\"A test event from Campanello\",\"subscriptionId\":\"" + subscription.getId()
                        + "\"}")
                .build();
        DeliveryTask task = DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscription.getId()))
                .setSubscriptionId(subscription.getId())
                .setTenant(subscription.getTenant())
                .setEvent(event)
                .setTest(true)
                .build();
        CompletableFuture<DeliveryAttempt> attempt = attempts.await(task.getDeliveryId());
        return kafka.send(deliveriesTopic, subscription.getId(), task)
                .thenCompose(sent -> attempt)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .exceptionally(error -> {
                    attempts.forget(task.getDeliveryId());
                    throw new ApiException(
                            HttpStatus.GATEWAY_TIMEOUT,
                            "test_timeout",
                            "no attempt was recorded within " + WAIT.toSeconds() + " s; is the dispatcher running?");
                });
    }
}
