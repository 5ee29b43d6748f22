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
    void retryAfterPushesToALaterTierNeverAnEarlierOne() {
        assertThat(schedule.placeAfter(1, Duration.ofSeconds(3)).orElseThrow())
                .isEqualTo(new RetrySchedule.Placement(
                        new RetrySchedule.RetryTier("webhooks.retry.5s", Duration.ofSeconds(5)), 1));
        assertThat(schedule.placeAfter(1, Duration.ofSeconds(60)).orElseThrow())
                .isEqualTo(new RetrySchedule.Placement(
                        new RetrySchedule.RetryTier("webhooks.retry.2m", Duration.ofMinutes(2)), 3));
        assertThat(schedule.placeAfter(3, Duration.ofSeconds(1))
                        .orElseThrow()
                        .tier()
                        .delay())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(schedule.placeAfter(1, Duration.ofHours(5))
                        .orElseThrow()
                        .tier()
                        .delay())
                .as("the last tier at most")
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(schedule.placeAfter(4, null)).isEmpty();
    }

    @Test
    void waitsTheDelayWithinTwentyPercentOrWhatTheReceiverAskedWithinBounds() {
        Duration delay = Duration.ofSeconds(10);
        assertThat(RetrySchedule.wait(delay, null, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetrySchedule.wait(delay, null, 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetrySchedule.wait(delay, null, 0.999999)).isEqualTo(Duration.ofMillis(12_000));
        assertThat(RetrySchedule.wait(delay, Duration.ofSeconds(15), 0.1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(RetrySchedule.wait(delay, Duration.ofMinutes(5), 0.1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(RetrySchedule.wait(delay, Duration.ofSeconds(2), 0.5)).isEqualTo(Duration.ofSeconds(10));
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
                "webhooks.endpoint-health",
                "webhooks.endpoint-status",
                "webhooks.retry.");
        assertThat(DeadLetterWriter.topicFor(topics, "webhooks.deliveries")).isEqualTo("webhooks.dlq");
        assertThat(DeadLetterWriter.topicFor(topics, "webhooks.retry.5s")).isEqualTo("webhooks.dlq");
        assertThat(DeadLetterWriter.topicFor(topics, "erp.orders")).isEqualTo("webhooks.ingest.dlq");
        assertThat(DeadLetterWriter.topicFor(topics, "webhooks.dlq"))
                .as("never back onto the topic it could not be read from")
                .isEqualTo("webhooks.ingest.dlq");
    }
}
