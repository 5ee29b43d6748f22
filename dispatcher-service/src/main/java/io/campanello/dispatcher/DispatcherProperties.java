package io.campanello.dispatcher;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dispatcher ({@code campanello.dispatcher.*}).
 *
 * @param connectTimeout how long to wait for a TCP connection to an endpoint
 * @param responseTimeout how long to wait for an endpoint's response once the request is sent
 * @param permanentStatuses statuses that no retry can fix: the delivery becomes a dead letter at once
 *     ({@code 410 Gone} always is one, as Standard Webhooks recommends)
 * @param maxInFlight deliveries this instance works on at once, per topic (fresh deliveries and due retries each have
 *     their own budget, so retries never queue behind a fresh backlog); a full budget pauses reading that topic
 * @param endpoint what each endpoint may take
 * @param circuit when an endpoint's circuit opens
 * @param health when a failing endpoint's owner is told, and when its subscription is disabled
 * @param shutdownTimeout on stop, how long in-flight deliveries may take to finish before the instance exits anyway
 *     (unfinished ones are delivered again by the next instance: at least once)
 * @param proxy an optional outbound HTTP proxy, so receivers can allow-list fixed egress addresses
 * @param tls extra certificate authorities trusted besides the JDK's
 * @param maxParked how long a delivery may wait parked for its paused or disabled subscription before it becomes a
 *     dead letter ({@code parked_too_long}); shorter than webhooks.parked's retention (30 days), which would delete it
 */
@Validated
@ConfigurationProperties("campanello.dispatcher")
public record DispatcherProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration responseTimeout,
        @DefaultValue("410") Set<Integer> permanentStatuses,
        @Min(1) @DefaultValue("1000") int maxInFlight,
        @Valid @DefaultValue EndpointLimits endpoint,
        @Valid @DefaultValue Circuit circuit,
        @Valid @DefaultValue Health health,
        @DefaultValue("20s") Duration shutdownTimeout,
        @Valid @DefaultValue Proxy proxy,
        @DefaultValue Tls tls,
        @DefaultValue("28d") Duration maxParked) {

    /** Whether a status is permanent: 410, or one configured. */
    public boolean isPermanent(int status) {
        return status == 410 || permanentStatuses.contains(status);
    }

    /**
     * @param concurrency requests in flight to one endpoint at once, unless its subscription sets {@code maxConcurrency}
     * @param queue deliveries that may wait here for one endpoint's slots; beyond that the endpoint is full
     * @param busyDelay how long a delivery that found its endpoint full and slow waits on the retry path (± 20 %); it
     *     costs no attempt
     * @param keepsUpWithin a full endpoint that answers without failures and would serve its whole queue within this
     *     time at its recent pace (a queue's worth of successes in about the last half of it, or by its own answer
     *     times and its slots) is busy, not slow: the consumer holds the next delivery back in Kafka (its partition
     *     pauses for a moment) instead of sending it to the retry path; 0 turns this off
     */
    public record EndpointLimits(
            @Min(1) @DefaultValue("20") int concurrency,
            @Min(0) @DefaultValue("200") int queue,
            @DefaultValue("2s") Duration busyDelay,
            @DefaultValue("1s") Duration keepsUpWithin) {}

    /**
     * @param failures consecutive failed attempts that open an endpoint's circuit; while open, its deliveries go
     *     straight to the retry path (a failed attempt that made no request, error {@code circuit_open})
     * @param coolDown how long the circuit stays open before one probe request may close it again
     */
    public record Circuit(
            @Min(1) @DefaultValue("5") int failures,
            @DefaultValue("30s") Duration coolDown) {}

    /**
     * @param failingAfter consecutive failed attempts after which the tenant receives
     *     {@code campanello.subscription.failing} (once per failing period)
     * @param disableAfter an endpoint failing without a success for this long is disabled, and the tenant receives
     *     {@code campanello.subscription.disabled}; {@code 410 Gone} disables at once
     */
    public record Health(
            @Min(1) @DefaultValue("20") int failingAfter,
            @DefaultValue("5d") Duration disableAfter) {}

    /**
     * @param host the proxy's host; empty: no proxy
     * @param port the proxy's port
     */
    public record Proxy(
            @DefaultValue("") String host,
            @DefaultValue("3128") int port) {

        public boolean enabled() {
            return !host.isBlank();
        }
    }

    /** @param caBundle a PEM file of extra certificate authorities trusted besides the JDK's; null: the JDK's only */
    public record Tls(Path caBundle) {}
}
