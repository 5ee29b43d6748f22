package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(
            "webhooks.retry.", List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2)));

    @Test
    void sendsTheNthFailureToTheNthDelaysTier() {
        assertThat(schedule.tierAfter(1))
                .contains(new RetrySchedule.RetryTier("webhooks.retry.5s", Duration.ofSeconds(5)));
        assertThat(schedule.tierAfter(2))
                .contains(new RetrySchedule.RetryTier("webhooks.retry.30s", Duration.ofSeconds(30)));
        assertThat(schedule.tierAfter(3))
                .contains(new RetrySchedule.RetryTier("webhooks.retry.2m", Duration.ofMinutes(2)));
    }

    @Test
    void isExhaustedAfterOneAttemptPerDelayPlusTheFirst() {
        assertThat(schedule.maxAttempts()).isEqualTo(4);
        assertThat(schedule.tierAfter(4)).isEmpty();
    }

    @Test
    void hasOneTierTopicPerDistinctDelay() {
        var repeated =
                new RetrySchedule("r.", List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofHours(1)));
        assertThat(repeated.tierTopics()).containsExactly("r.5s", "r.1h");
        assertThat(repeated.maxAttempts()).isEqualTo(4);
    }

    @Test
    void needsAtLeastOneDelay() {
        assertThatThrownBy(() -> new RetrySchedule("r.", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendsUnreadableInternalRecordsToTheDeadLetterTopicAndOthersToTheIngestOne() {
        var topics = new CampanelloKafkaProperties.TopicNames(
                "webhooks.events",
                "webhooks.subscriptions",
                "webhooks.deliveries",
                "webhooks.redeliveries",
                "webhooks.parked",
                "webhooks.event-types",
                "webhooks.replays",
                "webhooks.dlq.replayed",
                "webhooks.attempts",
                "webhooks.dlq",
                "webhooks.ingest.dlq",
                "webhooks.retry.");
        assertThat(CampanelloKafkaAutoConfiguration.deadLetterTopic(topics, "webhooks.deliveries"))
                .isEqualTo("webhooks.dlq");
        assertThat(CampanelloKafkaAutoConfiguration.deadLetterTopic(topics, "webhooks.retry.5s"))
                .isEqualTo("webhooks.dlq");
        assertThat(CampanelloKafkaAutoConfiguration.deadLetterTopic(topics, "erp.orders"))
                .isEqualTo("webhooks.ingest.dlq");
        assertThat(CampanelloKafkaAutoConfiguration.deadLetterTopic(topics, "webhooks.dlq"))
                .as("never back onto the topic it could not be read from")
                .isEqualTo("webhooks.ingest.dlq");
    }
}
