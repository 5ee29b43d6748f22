package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RedosTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final Redos redos = new Redos(Backoff.KAFKA_WRITES);

    private static ConsumerRecord<String, byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>("webhooks.deliveries", partition, offset, "key", new byte[] {1});
    }

    @Test
    void aRefusedRecordIsDueAgainAfterAPauseThatGrowsWithEachRefusal() {
        ConsumerRecord<String, byte[]> refused = record(0, 7);

        assertThat(redos.failed(refused, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(redos.due(SECOND - 1)).isEmpty();
        assertThat(redos.due(SECOND)).containsExactly(refused);
        assertThat(redos.due(SECOND)).as("taken out once").isEmpty();

        assertThat(redos.failed(refused, SECOND)).isEqualTo(Duration.ofSeconds(2));
        assertThat(redos.due(2 * SECOND)).isEmpty();
        assertThat(redos.due(3 * SECOND)).containsExactly(refused);
    }

    @Test
    void aRecordThatSucceededStartsFromTheFirstPauseWhenRefusedAgain() {
        ConsumerRecord<String, byte[]> record = record(0, 7);
        redos.failed(record, 0);
        redos.failed(record, 0);

        redos.succeeded(record);

        assertThat(redos.failed(record, 0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void dueRecordsComeInOffsetOrder() {
        ConsumerRecord<String, byte[]> later = record(0, 9);
        ConsumerRecord<String, byte[]> earlier = record(0, 8);
        redos.failed(later, 0);
        redos.failed(earlier, 0);

        assertThat(redos.due(SECOND)).containsExactly(earlier, later);
    }

    @Test
    void forgetsTheRecordsOfPartitionsHandedOver() {
        ConsumerRecord<String, byte[]> kept = record(0, 1);
        ConsumerRecord<String, byte[]> handedOver = record(1, 1);
        redos.failed(kept, 0);
        redos.failed(handedOver, 0);

        redos.forget(List.of(new TopicPartition("webhooks.deliveries", 1)));

        assertThat(redos.due(SECOND)).containsExactly(kept);
    }
}
