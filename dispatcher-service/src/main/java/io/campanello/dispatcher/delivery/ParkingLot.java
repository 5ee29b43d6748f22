package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.Subscription;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.KafkaException;
import org.springframework.stereotype.Component;

/**
 * Keeps the deliveries of paused and disabled subscriptions, in order, on webhooks.parked, and delivers them when
 * their subscription is active again. A partition whose head waits for its subscription is paused (not read into
 * memory) and looked at again every second; the others go on. Records come in through the {@link Intake} like any
 * other task record; one whose handling Kafka refused holds its partition back for a growing pause
 * ({@link Backoff#KAFKA_WRITES}) and is handled again.
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
    private final Intake intake;
    /** Paused partitions and when to look at them again ({@link System#nanoTime()}). */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /** Partitions whose head Kafka refused to record, and the last pause. */
    private final Map<TopicPartition, Duration> failing = new HashMap<>();

    private KafkaConsumer<String, byte[]> consumer;

    ParkingLot(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            TopicTable<Subscription> subscriptions,
            Dispatcher dispatcher,
            DeliveryRecords records,
            Intake intake) {
        super("parking-lot", kafka.buildConsumerProperties(), GROUP_ID);
        this.topic = properties.topics().parked();
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
        this.records = records;
        this.intake = intake;
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        this.consumer = consumer;
        // A fresh consumer after a failure: what was paused or held back is read again from the committed offsets.
        resumeAt.clear();
        failing.clear();
        consumer.subscribe(List.of(topic));
        while (running()) {
            recheckPaused();
            var polled = consumer.poll(POLL);
            for (TopicPartition partition : polled.partitions()) {
                drain(partition, polled.records(partition));
            }
        }
    }

    private void drain(TopicPartition partition, List<ConsumerRecord<String, byte[]>> parkedRecords)
            throws InterruptedException {
        for (ConsumerRecord<String, byte[]> record : parkedRecords) {
            Optional<DeliveryTask> task;
            try {
                task = intake.take(record);
            } catch (KafkaException e) {
                holdBack(partition, record, e);
                return;
            }
            if (task.isPresent()) {
                Subscription subscription =
                        subscriptions.get(task.get().getSubscriptionId()).orElse(null);
                if (subscription != null && !Dispatcher.isActive(subscription)) {
                    pause(partition, record, RECHECK);
                    return;
                }
                try {
                    if (subscription == null) {
                        records.deadLetter(task.get(), DeadLetterReason.SUBSCRIPTION_DELETED)
                                .get();
                    } else {
                        dispatcher.dispatchParked(task.get(), subscription).get();
                    }
                } catch (ExecutionException e) {
                    holdBack(partition, record, e.getCause());
                    return;
                }
            }
            failing.remove(partition);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
    }

    /** Kafka refused a write for this record: it is handled again after a pause, nothing after it before. */
    private void holdBack(TopicPartition partition, ConsumerRecord<String, byte[]> record, Throwable error) {
        Duration wait = Backoff.KAFKA_WRITES.after(failing.get(partition));
        failing.put(partition, wait);
        log.warn(
                "Kafka refused a write for a parked task, handling it again in {} partition={} offset={}",
                wait,
                record.partition(),
                record.offset(),
                error);
        pause(partition, record, wait);
    }

    private void pause(TopicPartition partition, ConsumerRecord<String, byte[]> record, Duration wait) {
        consumer.seek(partition, record.offset());
        consumer.pause(List.of(partition));
        resumeAt.put(partition, System.nanoTime() + wait.toNanos());
    }

    private void recheckPaused() {
        long now = System.nanoTime();
        List<TopicPartition> due = resumeAt.entrySet().stream()
                .filter(entry -> now - entry.getValue() >= 0)
                .map(Map.Entry::getKey)
                .filter(consumer.assignment()::contains)
                .toList();
        if (!due.isEmpty()) {
            consumer.resume(due);
            due.forEach(resumeAt::remove);
        }
    }
}
