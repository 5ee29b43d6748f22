package io.campanello.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class EventWriterTest {

    @Test
    void everyWaitOfTheProducerIsBoundedByTheKafkaTimeout() {
        assertThat(EventWriter.boundedWaits(Duration.ofSeconds(5), null))
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000L)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_500)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
    }

    @Test
    void theDeliveryTimeoutCoversALongLingerAsKafkaRequires() {
        assertThat(EventWriter.boundedWaits(Duration.ofSeconds(5), "4000"))
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_500);
    }
}
