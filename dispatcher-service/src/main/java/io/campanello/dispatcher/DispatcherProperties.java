package io.campanello.dispatcher;

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
 */
@Validated
@ConfigurationProperties("campanello.dispatcher")
public record DispatcherProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration responseTimeout,
        @DefaultValue("410") Set<Integer> permanentStatuses) {

    /** Whether a status is permanent: 410, or one configured. */
    public boolean isPermanent(int status) {
        return status == 410 || permanentStatuses.contains(status);
    }
}
