package io.campanello.kafka;

import io.campanello.schemas.Topics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Campanello uses Kafka ({@code campanello.kafka.*}): topic names, partitions, replication, retry delays.
 *
 * @param topics names of the topics
 * @param partitions partitions of every topic the platform creates
 * @param replicationFactor replicas of every topic it creates; 0 means the broker's default
 * @param createTopics whether each service creates missing topics at start (off when the Helm chart provisions them)
 * @param retryDelays the retry schedule: one tier topic per delay; a delivery is attempted at most
 *     {@code retryDelays.size() + 1} times
 */
@Validated
@ConfigurationProperties("campanello.kafka")
public record CampanelloKafkaProperties(
        @Valid @DefaultValue TopicNames topics,
        @Min(1) @DefaultValue("3") int partitions,
        @Min(0) @DefaultValue("0") short replicationFactor,
        @DefaultValue("true") boolean createTopics,

        @NotEmpty @DefaultValue({"5s", "30s", "2m", "10m", "30m", "2h", "6h", "12h"})
        List<Duration> retryDelays) {

    /** The retry schedule these properties describe. */
    public RetrySchedule retrySchedule() {
        return new RetrySchedule(topics.retryPrefix(), retryDelays);
    }

    /** Names of Campanello's topics; defaults in {@link Topics}. */
    public record TopicNames(
            @NotBlank @DefaultValue(Topics.EVENTS) String events,
            @NotBlank @DefaultValue(Topics.SUBSCRIPTIONS) String subscriptions,
            @NotBlank @DefaultValue(Topics.DELIVERIES) String deliveries,
            @NotBlank @DefaultValue(Topics.REDELIVERIES) String redeliveries,
            @NotBlank @DefaultValue(Topics.PARKED) String parked,
            @NotBlank @DefaultValue(Topics.EVENT_TYPES) String eventTypes,
            @NotBlank @DefaultValue(Topics.REPLAYS) String replays,
            @NotBlank @DefaultValue(Topics.REPLAYED) String replayed,
            @NotBlank @DefaultValue(Topics.ATTEMPTS) String attempts,
            @NotBlank @DefaultValue(Topics.DLQ) String dlq,
            @NotBlank @DefaultValue(Topics.INGEST_DLQ) String ingestDlq,
            @NotBlank @DefaultValue(Topics.ENDPOINT_HEALTH) String endpointHealth,
            @NotBlank @DefaultValue(Topics.ENDPOINT_STATUS) String endpointStatus,
            @NotBlank @DefaultValue(Topics.RETRY_PREFIX) String retryPrefix) {

        /** Whether a topic is one of Campanello's own (Avro) topics rather than a producer's source topic. */
        public boolean isInternal(String topic) {
            return topic.equals(events)
                    || topic.equals(subscriptions)
                    || topic.equals(deliveries)
                    || topic.equals(redeliveries)
                    || topic.equals(parked)
                    || topic.equals(eventTypes)
                    || topic.equals(replays)
                    || topic.equals(replayed)
                    || topic.equals(attempts)
                    || topic.equals(dlq)
                    || topic.equals(endpointHealth)
                    || topic.equals(endpointStatus)
                    || topic.startsWith(retryPrefix);
        }
    }
}
