package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

class DeliveryConsumerTest {

    /**
     * The consumer's thread ends on an error nobody expected (here, before it reads anything: a topic name the
     * client refuses): nothing reads deliveries any more, so liveness must be broken for the instance to be
     * restarted.
     */
    @Test
    void aConsumerThatEndsUnexpectedlyBreaksTheDispatchersLiveness() {
        List<Object> events = new CopyOnWriteArrayList<>();
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:1"));
        DeliveryConsumer consumer = new DeliveryConsumer(
                kafka,
                properties(" "),
                dispatcherProperties(),
                null,
                new Liveness(events::add),
                new SimpleMeterRegistry());

        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(events)
                            .singleElement()
                            .isInstanceOfSatisfying(
                                    AvailabilityChangeEvent.class,
                                    event -> assertThat(event.getState()).isEqualTo(LivenessState.BROKEN)));
        } finally {
            consumer.stop();
        }
    }

    private static CampanelloKafkaProperties properties(String deliveries) {
        var topics = new CampanelloKafkaProperties.TopicNames(
                "webhooks.events",
                "webhooks.subscriptions",
                deliveries,
                "webhooks.redeliveries",
                "webhooks.parked",
                "webhooks.event-types",
                "webhooks.replays",
                "webhooks.replayed",
                "webhooks.attempts",
                "webhooks.dlq",
                "webhooks.ingest-dlq",
                "webhooks.endpoint-health",
                "webhooks.retry-");
        return new CampanelloKafkaProperties(topics, 3, (short) 0, true, List.of(Duration.ofSeconds(5)));
    }

    private static DispatcherProperties dispatcherProperties() {
        return new DispatcherProperties(
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Set.of(410),
                100,
                new DispatcherProperties.EndpointLimits(20, 200, Duration.ofSeconds(2), Duration.ofMillis(250)),
                new DispatcherProperties.Circuit(5, Duration.ofSeconds(30)),
                new DispatcherProperties.Health(20, Duration.ofDays(5)),
                Duration.ofSeconds(1),
                new DispatcherProperties.Proxy("", 3128),
                new DispatcherProperties.Tls(null));
    }
}
