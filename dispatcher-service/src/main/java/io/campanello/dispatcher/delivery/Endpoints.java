package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.Subscription;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.ToIntFunction;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Every endpoint this instance has delivered to, by subscription id, with their metrics:
 * {@code campanello_endpoint_requests_in_flight}, {@code campanello_endpoint_deliveries_waiting} and
 * {@code campanello_endpoint_circuits{state}} (how many endpoints' circuits are open, half open, closed).
 */
@Component
class Endpoints implements DisposableBean {

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final DispatcherProperties properties;
    private final TopicTable<EndpointHealth> health;
    private final CircuitBreakerConfig circuitConfig;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "endpoint-rate-limits");
        thread.setDaemon(true);
        return thread;
    });

    Endpoints(DispatcherProperties properties, TopicTable<EndpointHealth> health, MeterRegistry meters) {
        this.properties = properties;
        this.health = health;
        int failures = properties.circuit().failures();
        this.circuitConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failures)
                .minimumNumberOfCalls(failures)
                .failureRateThreshold(100)
                .waitDurationInOpenState(properties.circuit().coolDown())
                .permittedNumberOfCallsInHalfOpenState(1)
                .writableStackTraceEnabled(false)
                .build();
        Gauge.builder("campanello.endpoint.requests.in.flight", this, e -> e.sum(Endpoint::sending))
                .description("Requests to endpoints awaiting their response")
                .register(meters);
        Gauge.builder("campanello.endpoint.deliveries.waiting", this, e -> e.sum(Endpoint::waiting))
                .description("Deliveries waiting for a free slot of their endpoint")
                .register(meters);
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {
            CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN
        }) {
            Gauge.builder("campanello.endpoint.circuits", this, e -> e.count(state))
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Endpoints whose circuit is in this state")
                    .register(meters);
        }
    }

    /** The endpoint of a subscription, remembering its health from webhooks.endpoint-health across restarts. */
    Endpoint of(Subscription subscription) {
        return endpoints.computeIfAbsent(
                subscription.getId(),
                id -> new Endpoint(
                        id,
                        CircuitBreaker.of(id, circuitConfig),
                        properties,
                        timer,
                        health.get(id).orElse(null)));
    }

    /** Every endpoint this instance has delivered to, by subscription id. */
    void forEach(java.util.function.BiConsumer<String, Endpoint> action) {
        endpoints.forEach(action);
    }

    private double sum(ToIntFunction<Endpoint> measure) {
        return endpoints.values().stream().mapToInt(measure).sum();
    }

    private double count(CircuitBreaker.State state) {
        return endpoints.values().stream()
                .filter(endpoint -> endpoint.circuitState() == state)
                .count();
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
