package io.campanello.dispatcher.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Deliveries started and not yet finished, per topic they came from — the budget a consumer pauses on, and the gauge
 * {@code campanello_dispatcher_in_flight{topic}}.
 */
final class InFlight {

    private final Map<String, AtomicInteger> byTopic;

    InFlight(List<String> topics, MeterRegistry meters) {
        byTopic = topics.stream()
                .collect(Collectors.toUnmodifiableMap(Function.identity(), topic -> new AtomicInteger()));
        byTopic.forEach((topic, count) -> Gauge.builder("campanello.dispatcher.in.flight", count, AtomicInteger::get)
                .tag("topic", topic)
                .description("Deliveries started and not yet finished, by the topic they came from")
                .register(meters));
    }

    /** The count of a topic's deliveries in flight. */
    AtomicInteger of(String topic) {
        return byTopic.get(topic);
    }
}
