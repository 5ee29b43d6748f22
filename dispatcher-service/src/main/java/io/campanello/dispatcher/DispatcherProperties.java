package io.campanello.dispatcher;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dispatcher ({@code campanello.dispatcher.*}).
 *
 * @param connectTimeout how long to wait for a TCP connection to an endpoint
 * @param responseTimeout how long to wait for an endpoint's response once the request is sent
 */
@Validated
@ConfigurationProperties("campanello.dispatcher")
public record DispatcherProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration responseTimeout) {}
