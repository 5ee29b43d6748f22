package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Reads fresh deliveries and due retries and hands each record to the {@link Intake} without waiting for it: many
 * deliveries are in flight at once, up to {@code max-in-flight} per topic (a full budget pauses that topic only, so
 * due retries never queue behind a fresh backlog). A record whose endpoint is full but keeps up is held back: its
 * partition pauses, and it and the partition's records read after it are tried again every {@link #HOLD_BACK}, in
 * order — a busy endpoint slows reading down instead of sending its deliveries around the retry path. A partition's offset is committed up to its oldest unfinished
 * record ({@link PartitionOffsets}), so after a crash only what was in flight is delivered again; a record whose
 * handling Kafka refused is started again after a pause ({@link Redos}). On stop, reading stops and in-flight
 * deliveries get {@code shutdown-timeout} to finish before the offsets are committed.
 */
@Component
class DeliveryConsumer extends ConsumerLoop {

    /** The dispatcher's consumer group. */
    static final String GROUP_ID = "campanello-dispatcher";

    private static final Logger log = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** How often held-back records are tried again. */
    static final Duration HOLD_BACK = Duration.ofMillis(10);
    /** How long a fetch waits at the broker for records, at most: a few hold-backs. */
    static final Duration FETCH_WAIT = Duration.ofMillis(20);

    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final List<String> topics;
    private final Intake intake;
    private final MeterRegistry meters;
    private final int maxInFlight;
    private final Duration shutdownTimeout;

    /** Finished records, from whichever thread finished them; everything else belongs to the polling thread. */
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();

    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    /** Paused partitions' records held back for a busy endpoint, not started yet, in their order. */
    private final Map<TopicPartition, HeldBack> heldBack = new HashMap<>();

    private final Redos redos = new Redos(Backoff.KAFKA_WRITES);
    private final InFlight inFlight;
    private final Counter heldBackCount;
    private KafkaConsumer<String, byte[]> consumer;
    private long lastCommit;

    DeliveryConsumer(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            DispatcherProperties dispatcherProperties,
            Intake intake,
            MeterRegistry meters) {
        super("deliveries", consumerConfig(kafka), GROUP_ID);
        this.topics =
                List.of(properties.topics().deliveries(), properties.topics().redeliveries());
        this.intake = intake;
        this.meters = meters;
        this.maxInFlight = dispatcherProperties.maxInFlight();
        this.shutdownTimeout = dispatcherProperties.shutdownTimeout();
        this.inFlight = new InFlight(topics, meters);
        this.heldBackCount = Counter.builder("campanello.deliveries.held.back")
                .description("Times reading a partition paused because a delivery's endpoint was full but keeping up")
                .register(meters);
    }

    static Map<String, Object> consumerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // A busy endpoint's partitions pause for a moment (held back) while the others, and webhooks.redeliveries
        // (mostly empty), are read on. The fetch the consumer sends for those alone waits at the broker for records,
        // and no other fetch goes to that broker until it returns: with Kafka's 500 ms, a resumed partition was read
        // on half a second later, and one busy subscription's deliveries went out in bursts with the dispatcher idle
        // half of the time (2,500 instead of 5,000 deliveries/s in the benchmark, PausedPartitionReadIT). An idle
        // dispatcher asks the broker every FETCH_WAIT instead.
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_WAIT.toMillis());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Partition i of webhooks.deliveries and of webhooks.redeliveries (same partition count, both keyed by the
        // subscription) go to the same member: one instance sends all of a subscription's requests, so its endpoint
        // limits and circuit hold across instances.
        config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return config;
    }

    @Override
    protected Duration stopTimeout() {
        return shutdownTimeout.plusSeconds(5);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        // A fresh consumer after a failure (ConsumerLoop restarts it): nothing of the last one's partitions is ours
        // until they are assigned again, and their records are read again from the committed offsets.
        forget(List.copyOf(offsets.keySet()));
        heldBack.clear();
        finished.clear();
        this.consumer = consumer;
        try (KafkaClientMetrics metrics = new KafkaClientMetrics(consumer)) {
            metrics.bindTo(meters);
            consumer.subscribe(topics, new HandOver());
            try {
                while (running()) {
                    settle();
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
                        HeldBack held = heldBack.get(partitionOf(record));
                        if (held != null) {
                            held.records().addLast(record);
                        } else if (!start(record)) {
                            holdBack(record);
                        }
                    }
                }
            } finally {
                finishInFlight(offsets.keySet());
            }
        }
    }

    /** Starts a record's delivery; false when it was held back (nothing started). */
    private boolean start(ConsumerRecord<String, byte[]> record) {
        Optional<CompletableFuture<?>> started = intake.deliver(record, true);
        if (started.isEmpty()) {
            return false;
        }
        offsets.computeIfAbsent(partitionOf(record), p -> new PartitionOffsets())
                .started(record.offset());
        inFlight.of(record.topic()).incrementAndGet();
        whenFinished(record, started.get());
        return true;
    }

    /** A record started before whose write Kafka refused: never held back, its place in the partition is taken. */
    private void handle(ConsumerRecord<String, byte[]> record) {
        whenFinished(record, intake.deliver(record, false).orElseThrow());
    }

    private void whenFinished(ConsumerRecord<String, byte[]> record, CompletableFuture<?> delivery) {
        delivery.whenComplete((done, error) -> finished.add(new Finished(record, error)));
    }

    /**
     * Pauses the record's partition and keeps the record (and those of the partition read after it) to try again:
     * the committed offset never passes a record that did not start, so a restart or a new owner reads them again.
     */
    private void holdBack(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = partitionOf(record);
        consumer.pause(List.of(partition));
        heldBack.put(
                partition, new HeldBack(new ArrayDeque<>(List.of(record)), System.nanoTime() + HOLD_BACK.toNanos()));
        heldBackCount.increment();
    }

    /** Starts held-back records in order while their endpoints take them; a partition with none left resumes. */
    private void startHeldBack() {
        long now = System.nanoTime();
        for (var it = heldBack.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            HeldBack held = entry.getValue();
            if (held.retryAt() - now > 0) {
                continue;
            }
            while (!held.records().isEmpty() && start(held.records().peekFirst())) {
                held.records().pollFirst();
            }
            if (held.records().isEmpty()) {
                it.remove();
            } else {
                entry.setValue(new HeldBack(held.records(), now + HOLD_BACK.toNanos()));
            }
        }
    }

    private Duration pollTimeout() {
        return heldBack.isEmpty() ? POLL : HOLD_BACK;
    }

    /** Takes in what finished, starts again what is due, commits, and pauses or resumes topics. */
    private void settle() {
        List<Finished> done = new ArrayList<>();
        finished.drainTo(done);
        done.forEach(this::account);
        redos.due(System.nanoTime()).forEach(this::handle);
        if (System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
            commit(offsets.keySet(), false);
        }
        startHeldBack();
        for (String topic : topics) {
            List<TopicPartition> partitions = consumer.assignment().stream()
                    .filter(partition -> partition.topic().equals(topic))
                    .toList();
            if (inFlight.of(topic).get() >= maxInFlight) {
                consumer.pause(partitions);
            } else {
                consumer.pause(partitions.stream().filter(heldBack::containsKey).toList());
                consumer.resume(partitions.stream()
                        .filter(partition -> !heldBack.containsKey(partition))
                        .toList());
            }
        }
    }

    private void account(Finished done) {
        ConsumerRecord<String, byte[]> record = done.record();
        PartitionOffsets partitionOffsets = offsets.get(partitionOf(record));
        if (partitionOffsets == null || !partitionOffsets.isStarted(record.offset())) {
            return; // the partition was handed to another instance meanwhile
        }
        if (done.error() != null) {
            Duration pause = redos.failed(record, System.nanoTime());
            log.warn(
                    "Kafka refused a write for a task record, handling it again in {} topic={} partition={} offset={}",
                    pause,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    done.error());
            return;
        }
        redos.succeeded(record);
        partitionOffsets.finished(record.offset());
        inFlight.of(record.topic()).decrementAndGet();
    }

    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionOffsets partitionOffsets = offsets.get(partition);
            long next = partitionOffsets == null ? -1 : partitionOffsets.toCommit();
            if (next >= 0) {
                commits.put(partition, new OffsetAndMetadata(next));
            }
        }
        lastCommit = System.nanoTime();
        if (commits.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(commits);
            } catch (WakeupException stopping) {
                consumer.commitSync(commits);
            }
        } else {
            consumer.commitAsync(commits, (committed, error) -> {
                if (error != null) {
                    log.warn("could not commit delivery offsets; they are committed with the next ones", error);
                }
            });
        }
        commits.forEach((partition, offset) -> offsets.get(partition).committed(offset.offset()));
    }

    /**
     * Waits up to the shutdown timeout for the deliveries of these partitions, then commits what finished. What
     * Kafka refused is not tried again meanwhile: the partition's next owner starts it afresh.
     */
    private void finishInFlight(Collection<TopicPartition> partitions) throws InterruptedException {
        Set<TopicPartition> waitingFor = new HashSet<>(partitions);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (waitingFor.stream().anyMatch(partition -> !offsets.get(partition).idle())) {
            redos.forget(waitingFor);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.warn("shutdown timeout reached with deliveries in flight; the next owner delivers them again");
                break;
            }
            Finished done = finished.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            if (done != null) {
                account(done);
            }
        }
        commit(waitingFor, true);
    }

    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            heldBack.remove(partition);
            PartitionOffsets gone = offsets.remove(partition);
            if (gone != null) {
                inFlight.of(partition.topic()).addAndGet(-gone.inFlight());
            }
        }
        redos.forget(partitions);
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** Partitions moving to another instance: finish their deliveries first, commit, then let them go. */
    private final class HandOver implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(heldBack::remove); // not started: the next owner reads them from the committed offset
            List<TopicPartition> ours =
                    partitions.stream().filter(offsets::containsKey).toList();
            try {
                finishInFlight(ours);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                forget(ours);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }

    private record Finished(ConsumerRecord<String, byte[]> record, Throwable error) {}

    /** A paused partition's records that did not start yet, and when they are tried again (System.nanoTime). */
    private record HeldBack(ArrayDeque<ConsumerRecord<String, byte[]>> records, long retryAt) {}
}
