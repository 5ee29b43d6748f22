package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A busy subscription's partition, paused for a moment while its endpoint was full, is read on as soon as it resumes,
 * though the dispatcher's other partitions (here: an empty webhooks.redeliveries) have nothing: the fetch the consumer
 * sent for those alone during the pause waits at the broker for records, and no other fetch goes to that broker until
 * it returns. With Kafka's default wait (500 ms, measured 510-600 ms a round here) one busy subscription's deliveries
 * went out in bursts, the dispatcher idle half of the time in between (2,500 instead of 5,000 deliveries/s in the
 * benchmark).
 */
@EmbeddedKafka(
        partitions = 1,
        topics = {PausedPartitionReadIT.BUSY, PausedPartitionReadIT.EMPTY})
class PausedPartitionReadIT {

    static final String BUSY = "paused.deliveries";
    static final String EMPTY = "paused.redeliveries";
    private static final int ROUNDS = 10;

    @Test
    void aBusyPartitionIsReadAgainAtOnceWhileTheOthersHaveNothing(EmbeddedKafkaBroker broker) throws Exception {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.getBrokersAsString()));
        Map<String, Object> config = new HashMap<>(DeliveryConsumer.consumerConfig(kafka));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "paused-partition-read");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
        try (var producer = new KafkaProducer<>(
                        Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                        new StringSerializer(),
                        new StringSerializer());
                var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(BUSY, EMPTY));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(50));
                return consumer.assignment().size() == 2;
            });

            // A backlog in batches of three records; the consumer fetches one batch at a time and hands out one record
            // a poll. The dispatcher pauses a busy subscription's partition while it still holds some of a batch: the
            // fetch the consumer sends meanwhile is for the other, empty topic alone, and waits at the broker.
            for (int batch = 0; batch < 2 * ROUNDS; batch++) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(BUSY, "sub", "task"));
                }
                producer.flush();
            }
            TopicPartition busy = new TopicPartition(BUSY, 0);
            List<Duration> waits = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                read(consumer, 2);
                consumer.pause(List.of(busy));
                consumer.poll(Duration.ofMillis(10));
                consumer.resume(List.of(busy));
                read(consumer, 1);
                long drained = System.nanoTime();
                read(consumer, 1); // the next batch: a fetch
                waits.add(Duration.ofNanos(System.nanoTime() - drained));
                read(consumer, 2);
            }

            Duration total = waits.stream().reduce(Duration.ZERO, Duration::plus);
            // Kafka's default (500 ms a fetch) makes this over 5 s; the dispatcher's, a few hundredths of a second
            // a round. The bound leaves room for a slow machine.
            assertThat(total)
                    .as("time to read a busy partition again, %d rounds: %s", ROUNDS, waits)
                    .isLessThan(Duration.ofMillis(ROUNDS * 250L));
        }
    }

    private static void read(KafkaConsumer<String, byte[]> consumer, int records) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int read = 0; read < records; ) {
            assertThat(System.nanoTime() - deadline).as("records read in time").isNegative();
            read += consumer.poll(Duration.ofMillis(10)).count();
        }
    }
}
