package io.campanello.ingest;

import io.campanello.ingest.source.SourceFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param sourceTopics topics on which business systems produce events in Campanello's JSON shape; none by default
 *     (the short form of a source of format {@code campanello-json})
 * @param sourceTenant the tenant whose events the source topics carry, unless a source names its own
 * @param sources source topics by a name of the operator's choice, each with its format, tenant and mapping
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
        @DefaultValue Map<String, @Valid Source> sources,
        @Min(1) @Max(64) @DefaultValue("2") int sourceConcurrency,
        @DefaultValue("true") boolean acceptUnknownTypes,
        @Min(1) @DefaultValue("1000") int maxEventTypesPerTenant) {

    /**
     * One source topic ({@code campanello.ingest.sources.<name>.*}).
     *
     * @param topic the topic producers write to
     * @param format how its records carry events
     * @param tenant the tenant its events belong to; by default {@code source-tenant}
     * @param mapping where an event's attributes are found in a record, over the format's defaults
     */
    public record Source(
            @NotBlank String topic,
            @DefaultValue("campanello-json") SourceFormat format,
            String tenant,
            @DefaultValue Mapping mapping) {}

    /**
     * Where an attribute of the event is found in a record: {@code key} (the record key), {@code header:<name>},
     * a JSON pointer into the value ({@code /order/id}), {@code value} (the whole value) or {@code
     * constant:<text>}. An attribute left empty keeps what the format gives it.
     */
    public record Mapping(String id, String type, String source, String subject, String time, String data) {}
}
