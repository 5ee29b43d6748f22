package io.campanello.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest service ({@code campanello.ingest.*}).
 *
 * @param maxEventSize the largest request body or source record accepted
 * @param kafkaTimeout how long an event waits for Kafka to acknowledge it before a request is answered 503 (also
 *     the ingest producer's {@code max.block.ms} and {@code delivery.timeout.ms})
 * @param sourceTopics topics on which business systems produce events as JSON; none by default
 * @param sourceTenant the tenant whose events the source topics carry
 * @param sourceConcurrency how many consumers read the source topics' partitions in parallel (more than the
 *     partitions is useless)
 * @param acceptUnknownTypes accept events whose type is not in the tenant's event-type catalog
 * @param maxEventTypesPerTenant how many event types one tenant may register; one more is refused 429
 *     {@code quota_exceeded} (replacing an existing one is always allowed)
 */
@Validated
@ConfigurationProperties("campanello.ingest")
public record IngestProperties(
        @DefaultValue("256KB") DataSize maxEventSize,
        @DurationMin(millis = 100) @DefaultValue("5s") Duration kafkaTimeout,
        @DefaultValue List<String> sourceTopics,
        @NotBlank @DefaultValue("default") String sourceTenant,
        @Min(1) @Max(64) @DefaultValue("2") int sourceConcurrency,
        @DefaultValue("true") boolean acceptUnknownTypes,
        @Min(1) @DefaultValue("1000") int maxEventTypesPerTenant) {}
