package io.campanello.console;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code campanello.console.*}: where the services are, and how long the console waits for them.
 *
 * @param connectTimeout the longest a connection to a service may take to open
 * @param responseTimeout the longest a service may take to start answering (a replay's start reads a topic)
 */
@Validated
@ConfigurationProperties("campanello.console")
record ConsoleProperties(
        @NotNull @Valid Services services,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("30s") Duration responseTimeout) {

    /**
     * Base URLs of the services, e.g. {@code http://subscription:8082}. No defaults: they are addresses of other
     * systems. The history service and the standalone's inspector are optional; their pages say so when absent.
     */
    record Services(
            @NotNull URI subscriptions,
            @NotNull URI ingest,
            @NotNull URI retry,
            URI history,
            URI inspector) {

        URI baseOf(Service service) {
            return switch (service) {
                case SUBSCRIPTIONS -> subscriptions;
                case INGEST -> ingest;
                case RETRY -> retry;
                case HISTORY -> history;
                case INSPECTOR -> inspector;
            };
        }
    }
}
