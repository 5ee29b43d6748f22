package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * their subscription is active again. A record whose subscription is not active is held (its offset remembered,
 * {@link ParkedPartition}) and the partition is read on, so one subscription's state never stops another's; once a
 * held subscription is active again (or deleted), its partition is read again from its first held record and its
 * records are handled in their order. The committed offset is the first held record: after a restart the partition
 * is read again from there. A record held longer than {@code max-parked} becomes a dead letter
 * ({@code parked_too_long}); held records that retention deleted anyway are counted in
 * {@code campanello_dispatcher_parked_expired_total}. Records come in through the {@link Intake} like any other task
 * record; one whose handling Kafka refused holds its partition back for a growing pause ({@link Backoff#KAFKA_WRITES})
 * and is handled again.
 */
@Component
class ParkingLot extends ConsumerLoop {

    /** Consumer group of the parked deliveries. */
    static final String GROUP_ID = "campanello-parking";

    private static final Logger log = LoggerFactory.getLogger(ParkingLot.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long RECHECK_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long EXPIRY_CHECK_NANOS = Duration.ofMinutes(1).toNanos();

    private final String topic;
    private final TopicTable<Subscription> subscriptions;
    private final Dispatcher dispatcher;
    private final DeliveryRecords records;
    private final Intake intake;
    private final Duration maxParked;
    private final Clock clock;
    private final Counter expired;
    /** Held records of this instance's partitions, for {@code campanello_dispatcher_parked_held}. */
    private final AtomicInteger heldGauge;

    private final Map<TopicPartition, ParkedPartition> partitions = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    /** Partitions paused after Kafka refused a write, and when to read them again ({@link System#nanoTime()}). */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /** Partitions whose head Kafka refused to record, and the last pause. */
    private final Map<TopicPartition, Duration> failing = new HashMap<>();

    private KafkaConsumer<String, byte[]> consumer;
    private long lastRecheck;
    private long lastExpiryCheck;

    ParkingLot(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            TopicTable<Subscription> subscriptions,
            Dispatcher dispatcher,
            DeliveryRecords records,
            Intake intake,
            DispatcherProperties dispatcherProperties,
            Clock clock,
            MeterRegistry meters) {
        super("parking-lot", kafka.buildConsumerProperties(), GROUP_ID);
        this.topic = properties.topics().parked();
        this.subscriptions = subscriptions;
        this.dispatcher = dispatcher;
        this.records = records;
        this.intake = intake;
        this.maxParked = dispatcherProperties.maxParked();
        this.clock = clock;
        this.expired = meters.counter("campanello.dispatcher.parked.expired");
        this.heldGauge = meters.gauge("campanello.dispatcher.parked.held", new AtomicInteger());
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        this.consumer = consumer;
        // A fresh consumer after a failure: what was held or held back is read again from the committed offsets.
        forget(List.copyOf(partitions.keySet()));
        consumer.subscribe(List.of(topic), new HandOver());
        while (running()) {
            resumeDue();
            long now = System.nanoTime();
            if (now - lastRecheck >= RECHECK_NANOS) {
                lastRecheck = now;
                readReleasedAgain();
            }
            if (now - lastExpiryCheck >= EXPIRY_CHECK_NANOS) {
                lastExpiryCheck = now;
                expireDeleted();
            }
            var polled = consumer.poll(POLL);
            for (TopicPartition partition : polled.partitions()) {
                drain(partition, polled.records(partition));
            }
            heldGauge.set(partitions.values().stream()
                    .mapToInt(ParkedPartition::heldCount)
                    .sum());
        }
    }

    private void drain(TopicPartition partition, List<ConsumerRecord<String, byte[]>> parkedRecords)
            throws InterruptedException {
        ParkedPartition state = partitions.get(partition);
        if (state == null) {
            return; // no longer ours
        }
        try {
            for (ConsumerRecord<String, byte[]> record : parkedRecords) {
                if (state.handled(record.offset(), record.key())) {
                    state.done(record.offset());
                    continue;
                }
                Optional<DeliveryTask> task;
                try {
                    task = intake.take(record);
                } catch (KafkaException e) {
                    holdBack(partition, record, e);
                    return;
                }
                if (task.isEmpty()) {
                    state.done(record.offset());
                } else if (!handle(partition, state, record, task.get())) {
                    return;
                }
            }
        } finally {
            commit(partition, state);
        }
    }

    /** Holds, delivers or dead-letters a parked task; false when Kafka refused a write and the partition waits. */
    private boolean handle(
            TopicPartition partition, ParkedPartition state, ConsumerRecord<String, byte[]> record, DeliveryTask task)
            throws InterruptedException {
        String subscriptionId = task.getSubscriptionId();
        Subscription subscription = subscriptions.get(subscriptionId).orElse(null);
        boolean tooLong = record.timestamp() < clock.millis() - maxParked.toMillis();
        if (subscription != null
                && ((!Dispatcher.isActive(subscription) && !tooLong)
                        || state.heldBefore(subscriptionId, record.offset()))) {
            // Waits for its subscription (or behind its own older records); the ones behind it go on.
            state.hold(record.offset(), subscriptionId, record.timestamp());
            return true;
        }
        try {
            if (subscription != null && !Dispatcher.isActive(subscription)) {
                log.info(
                        "parked too long delivery_id={} subscription_id={} parked_at={}",
                        task.getDeliveryId(),
                        subscriptionId,
                        Instant.ofEpochMilli(record.timestamp()));
                records.deadLetter(task, DeadLetterReason.PARKED_TOO_LONG).get();
            } else if (subscription == null) {
                records.deadLetter(task, DeadLetterReason.SUBSCRIPTION_DELETED).get();
            } else {
                dispatcher.dispatchParked(task, subscription).get();
            }
        } catch (ExecutionException e) {
            holdBack(partition, record, e.getCause());
            return false;
        }
        failing.remove(partition);
        state.done(record.offset());
        commit(partition, state); // delivered: not to be sent again after a restart
        return true;
    }

    /** Commits the partition's offset with the marks of what it holds, when either changed. */
    private void commit(TopicPartition partition, ParkedPartition state) {
        state.committable().ifPresent(offset -> {
            var commit = new OffsetAndMetadata(offset, state.marks().encode());
            if (!commit.equals(committed.get(partition))) {
                consumer.commitSync(Map.of(partition, commit));
                committed.put(partition, commit);
            }
        });
    }

    /** Partitions with held records of subscriptions that are active again or deleted are read again from there. */
    private void readReleasedAgain() {
        for (var entry : partitions.entrySet()) {
            TopicPartition partition = entry.getKey();
            if (resumeAt.containsKey(partition) || !consumer.assignment().contains(partition)) {
                continue;
            }
            long tooLongBefore = clock.millis() - maxParked.toMillis();
            entry.getValue()
                    .firstReleased((id, parkedAt) -> parkedAt < tooLongBefore
                            || subscriptions.get(id).map(Dispatcher::isActive).orElse(true))
                    .filter(offset -> offset < consumer.position(partition))
                    .ifPresent(offset -> consumer.seek(partition, offset));
        }
    }

    /** Held records that retention deleted will never be read again: they are counted and forgotten. */
    private void expireDeleted() {
        List<TopicPartition> holding = partitions.entrySet().stream()
                .filter(entry -> entry.getValue().heldCount() > 0)
                .map(Map.Entry::getKey)
                .filter(consumer.assignment()::contains)
                .toList();
        if (holding.isEmpty()) {
            return;
        }
        consumer.beginningOffsets(holding).forEach((partition, first) -> {
            int gone = partitions.get(partition).expireBefore(first);
            if (gone > 0) {
                expired.increment(gone);
                log.warn(
                        "retention deleted parked deliveries before their subscription was resumed count={} partition={}",
                        gone,
                        partition.partition());
                commit(partition, partitions.get(partition));
            }
        });
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
        consumer.seek(partition, record.offset());
        consumer.pause(List.of(partition));
        resumeAt.put(partition, System.nanoTime() + wait.toNanos());
    }

    private void resumeDue() {
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

    private void forget(Collection<TopicPartition> gone) {
        for (TopicPartition partition : gone) {
            partitions.remove(partition);
            committed.remove(partition);
            resumeAt.remove(partition);
            failing.remove(partition);
        }
    }

    /** A partition moving to another instance is read again by it from the committed offset. */
    private final class HandOver implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            forget(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            forget(assigned);
            Map<TopicPartition, OffsetAndMetadata> last = consumer.committed(Set.copyOf(assigned));
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata commit = last.get(partition);
                partitions.put(
                        partition,
                        new ParkedPartition(
                                commit == null ? Optional.empty() : ParkingMarks.decode(commit.metadata())));
            }
        }
    }
}
