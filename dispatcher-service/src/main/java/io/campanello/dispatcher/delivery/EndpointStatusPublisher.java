package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.v1.CircuitState;
import io.campanello.schemas.v1.EndpointStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the subscription service how each endpoint looks from this instance (webhooks.endpoint-status, key =
 * subscription id + "/" + instance): written within a second of a change, every 30 s while deliveries wait or the
 * endpoint fails, and deleted (a tombstone) when this instance stops. Each instance has its own circuits and slots,
 * so the subscription service shows them per instance and summed.
 */
@Component
class EndpointStatusPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EndpointStatusPublisher.class);
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final Duration WHILE_BUSY = Duration.ofSeconds(30);

    /** What was last written per subscription, without its time, and when. */
    private record Written(EndpointStatus status, Instant at) {}

    private final Endpoints endpoints;
    private final RetryPathCounts retryPath;
    private final ParkedSubscriptions parked;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final String instance;
    private final Clock clock;
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    EndpointStatusPublisher(
            Endpoints endpoints,
            RetryPathCounts retryPath,
            ParkedSubscriptions parked,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            @Value("${campanello.dispatcher.instance:}") String instance,
            @Value("${server.port:8080}") int port,
            Clock clock) {
        this.endpoints = endpoints;
        this.retryPath = retryPath;
        this.parked = parked;
        this.kafka = kafka;
        this.topic = properties.topics().endpointStatus();
        this.instance = instance.isBlank() ? hostName() + ":" + port : instance;
        this.clock = clock;
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "dispatcher";
        }
    }

    /** Writes what changed, and what is busy and was not written for a while. */
    void publish() {
        Instant now = clock.instant();
        endpoints.forEach((subscriptionId, endpoint) -> {
            Endpoint.Snapshot snapshot = endpoint.snapshot();
            if (snapshot.tenant() == null) {
                return;
            }
            EndpointStatus status = status(subscriptionId, snapshot, now);
            Written last = written.get(subscriptionId);
            boolean changed = last == null || !sameBut(last.status(), status);
            boolean due = last != null
                    && !isIdle(status)
                    && !last.at().plus(WHILE_BUSY).isAfter(now);
            if (changed || due) {
                kafka.send(topic, key(subscriptionId), status);
                written.put(subscriptionId, new Written(status, now));
            }
        });
    }

    private EndpointStatus status(String subscriptionId, Endpoint.Snapshot snapshot, Instant now) {
        CircuitState circuit = CircuitState.valueOf(snapshot.circuit().name());
        return EndpointStatus.newBuilder()
                .setSubscriptionId(subscriptionId)
                .setTenant(snapshot.tenant())
                .setInstance(instance)
                .setCircuit(circuit)
                // Rounded to the second, so that a waiting circuit is not written again every second.
                .setNextProbeAt(
                        circuit == CircuitState.OPEN
                                ? now.plus(snapshot.untilProbe())
                                        .plusMillis(999)
                                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                : null)
                .setConsecutiveFailures(snapshot.consecutiveFailures())
                .setLastStatus(snapshot.lastStatus())
                .setLastError(snapshot.lastError())
                .setLastAttemptAt(snapshot.lastAttemptAt())
                .setFailingSince(snapshot.failingSince())
                .setInFlight(snapshot.inFlight())
                .setQueued(snapshot.queued())
                .setDeferred(retryPath.deferredOf(subscriptionId))
                .setRetrying(retryPath.retryingOf(subscriptionId))
                .setParked(parked.hasParked(subscriptionId))
                .setUpdatedAt(now)
                .build();
    }

    private static boolean sameBut(EndpointStatus before, EndpointStatus now) {
        return EndpointStatus.newBuilder(before)
                .setUpdatedAt(now.getUpdatedAt())
                .build()
                .equals(now);
    }

    private static boolean isIdle(EndpointStatus status) {
        return status.getCircuit() == CircuitState.CLOSED
                && status.getConsecutiveFailures() == 0
                && status.getInFlight() == 0
                && status.getQueued() == 0
                && status.getDeferred() <= 0
                && status.getRetrying() <= 0
                && !status.getParked();
    }

    private String key(String subscriptionId) {
        return subscriptionId + "/" + instance;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "endpoint-status");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(
                () -> {
                    try {
                        publish();
                    } catch (org.springframework.kafka.KafkaException | org.apache.kafka.common.KafkaException e) {
                        // The next round writes it again: a status is a view, nothing is lost meanwhile.
                        log.warn("endpoint status not written: {}", e.getMessage());
                    }
                },
                EVERY.toMillis(),
                EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        timer = started;
    }

    /** The instance's statuses are deleted: what it reported is no longer true once it has stopped. */
    @Override
    public void stop() {
        ScheduledExecutorService running = timer;
        timer = null;
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            written.keySet().forEach(subscriptionId -> kafka.send(topic, key(subscriptionId), null));
            kafka.flush();
        } catch (org.springframework.kafka.KafkaException | org.apache.kafka.common.KafkaException e) {
            log.warn("endpoint statuses not deleted at stop: {}", e.getMessage());
        }
        written.clear();
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
