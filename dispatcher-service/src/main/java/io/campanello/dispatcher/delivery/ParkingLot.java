package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.Subscription;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Keeps the deliveries of paused and disabled subscriptions, in order, on webhooks.parked, and delivers them when
 * their subscription is active again. A partition whose head waits for its subscription is paused (not read into
 * memory) and looked at again every second; the others go on.
 */
@Component
class ParkingLot extends ConsumerLoop {

    /** Consumer group of the parked deliveries. */
    static final String GROUP_ID = "campanello-parking";

    private static final Logger log = LoggerFactory.getLogger(ParkingLot.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final String topic;
    private final TopicTable<Subscription> subscriptions;
    private final Dispatcher dispatcher;
    private final DeliveryRecords records;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final Map<TopicPartition, Long> pausedAt = new HashMap<>();
    private KafkaConsumer<String, byte[]> consumer;

    ParkingLot(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            TopicTable<Subscription> subscriptions,
            Dispatcher dispatcher,
            DeliveryRecords records,
            DeadLetterPublishingRecoverer deadLetters) {
        super("parking-lot", kafka.buildConsumerProperties(), GROUP_ID);
        this.topic = properties.topics().parked();
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
        this.records = records;
        this.deadLetters = deadLetters;
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        this.consumer = consumer;
        consumer.subscribe(List.of(topic));
        while (running()) {
            recheckPaused();
            var polled = consumer.poll(POLL);
            for (TopicPartition partition : polled.partitions()) {
                drain(partition, polled.records(partition));
            }
        }
    }

    @Override
    protected void failed(RuntimeException e) {
        log.error("parking lot failed; parked deliveries stay on their topic", e);
    }

    private void drain(TopicPartition partition, List<ConsumerRecord<String, byte[]>> parkedRecords)
            throws InterruptedException {
        for (ConsumerRecord<String, byte[]> record : parkedRecords) {
            DeliveryTask task = read(record);
            if (task != null) {
                Subscription subscription =
                        subscriptions.get(task.getSubscriptionId()).orElse(null);
                if (subscription != null && !Dispatcher.isActive(subscription)) {
                    consumer.seek(partition, record.offset());
                    consumer.pause(List.of(partition));
                    pausedAt.put(partition, System.nanoTime());
                    return;
                }
                try {
                    if (subscription == null) {
                        records.deadLetter(task, DeadLetterReason.SUBSCRIPTION_DELETED)
                                .get();
                    } else {
                        dispatcher.dispatchParked(task, subscription).get();
                    }
                } catch (ExecutionException e) {
                    consumer.seek(partition, record.offset());
                    throw new IllegalStateException("could not deliver a parked task", e.getCause());
                }
            }
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
    }

    private DeliveryTask read(ConsumerRecord<String, byte[]> record) {
        try {
            return deserializer.deserialize(topic, record.value(), DeliveryTask.class);
        } catch (SerializationException e) {
            deadLetters.accept(record, e);
            return null;
        }
    }

    private void recheckPaused() {
        long now = System.nanoTime();
        List<TopicPartition> due = pausedAt.entrySet().stream()
                .filter(entry -> now - entry.getValue() >= RECHECK.toNanos())
                .map(Map.Entry::getKey)
                .filter(consumer.assignment()::contains)
                .toList();
        if (!due.isEmpty()) {
            consumer.resume(due);
            due.forEach(pausedAt::remove);
        }
    }
}
