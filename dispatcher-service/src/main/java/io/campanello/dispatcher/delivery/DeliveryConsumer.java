package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Reads fresh deliveries and due retries and starts each without waiting for it: many deliveries are in flight at
 * once, up to {@code max-in-flight} per topic (a full budget pauses that topic only, so due retries never queue
 * behind a fresh backlog). A partition's offset is committed up to its oldest unfinished delivery, so after a crash
 * only what was in flight is delivered again. On stop, reading stops and in-flight deliveries get
 * {@code shutdown-timeout} to finish before the offsets are committed. The default consumer
 * ({@code campanello.dispatcher.consumer=offsets}); {@link ShareDeliveryConsumer} is the measured alternative, see
 * {@code docs/dispatcher.md}.
 */
@Component
@ConditionalOnProperty(name = "campanello.dispatcher.consumer", havingValue = "offsets", matchIfMissing = true)
class DeliveryConsumer extends ConsumerLoop {

    /** The dispatcher's consumer group. */
    static final String GROUP_ID = "campanello-dispatcher";

    private static final Logger log = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration FIRST_REDO = Duration.ofSeconds(1);
    private static final Duration LAST_REDO = Duration.ofSeconds(30);

    private final List<String> topics;
    private final Dispatcher dispatcher;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final MeterRegistry meters;
    private final int maxInFlight;
    private final Duration shutdownTimeout;
    private final AvroDeserializer deserializer = new AvroDeserializer();

    /** Finished deliveries, from whichever thread finished them; everything else belongs to the polling thread. */
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();

    private final Map<TopicPartition, Offsets> offsets = new HashMap<>();
    private final List<Redo> redos = new ArrayList<>();
    private final Map<ConsumerRecord<String, byte[]>, Duration> redoDelays = new IdentityHashMap<>();
    private final InFlight inFlight;
    private KafkaConsumer<String, byte[]> consumer;
    private long lastCommit;

    DeliveryConsumer(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            DispatcherProperties dispatcherProperties,
            Dispatcher dispatcher,
            DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry meters) {
        super("deliveries", consumerConfig(kafka), GROUP_ID);
        this.topics =
                List.of(properties.topics().deliveries(), properties.topics().redeliveries());
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.maxInFlight = dispatcherProperties.maxInFlight();
        this.shutdownTimeout = dispatcherProperties.shutdownTimeout();
        this.inFlight = new InFlight(topics, meters);
    }

    private static Map<String, Object> consumerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    @Override
    protected Duration stopTimeout() {
        return shutdownTimeout.plusSeconds(5);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        this.consumer = consumer;
        try (KafkaClientMetrics metrics = new KafkaClientMetrics(consumer)) {
            metrics.bindTo(meters);
            consumer.subscribe(topics, new HandOver());
            try {
                while (running()) {
                    settle();
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        start(record);
                    }
                }
            } finally {
                finishInFlight(offsets.keySet());
            }
        }
    }

    @Override
    protected void failed(RuntimeException e) {
        log.error("delivery consumer failed; unfinished deliveries stay on their topics", e);
    }

    private void start(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        offsets.computeIfAbsent(partition, p -> new Offsets()).started(record.offset());
        inFlight.of(record.topic()).incrementAndGet();
        DeliveryTask task;
        try {
            task = deserializer.deserialize(record.topic(), record.value(), DeliveryTask.class);
        } catch (SerializationException e) {
            deadLetters.accept(record, e);
            finished.add(new Finished(record, null));
            return;
        }
        dispatch(record, task);
    }

    private void dispatch(ConsumerRecord<String, byte[]> record, DeliveryTask task) {
        try {
            dispatcher.dispatch(task).whenComplete((done, error) -> finished.add(new Finished(record, error)));
        } catch (RuntimeException e) {
            finished.add(new Finished(record, e));
        }
    }

    /** Takes in what finished, starts again what failed to be recorded, commits, and pauses or resumes topics. */
    private void settle() {
        List<Finished> done = new ArrayList<>();
        finished.drainTo(done);
        done.forEach(this::account);
        redoDue();
        if (System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
            commit(offsets.keySet(), false);
        }
        for (String topic : topics) {
            List<TopicPartition> partitions = consumer.assignment().stream()
                    .filter(partition -> partition.topic().equals(topic))
                    .toList();
            if (inFlight.of(topic).get() >= maxInFlight) {
                consumer.pause(partitions);
            } else {
                consumer.resume(partitions);
            }
        }
    }

    private void account(Finished done) {
        TopicPartition partition =
                new TopicPartition(done.record().topic(), done.record().partition());
        Offsets partitionOffsets = offsets.get(partition);
        if (partitionOffsets == null
                || !partitionOffsets.isStarted(done.record().offset())) {
            return; // the partition was handed to another instance meanwhile
        }
        if (done.error() != null) {
            Duration before = redoDelays.get(done.record());
            Duration after = before == null ? FIRST_REDO : min(before.multipliedBy(2), LAST_REDO);
            redoDelays.put(done.record(), after);
            log.warn(
                    "could not record a delivery's outcome, starting it again in {} topic={} partition={} offset={}",
                    after,
                    done.record().topic(),
                    done.record().partition(),
                    done.record().offset(),
                    done.error());
            redos.add(new Redo(done.record(), System.nanoTime() + after.toNanos()));
            return;
        }
        if (!redoDelays.isEmpty()) {
            redoDelays.remove(done.record());
        }
        partitionOffsets.finished(done.record().offset());
        inFlight.of(done.record().topic()).decrementAndGet();
    }

    private void redoDue() {
        long now = System.nanoTime();
        for (Iterator<Redo> it = redos.iterator(); it.hasNext(); ) {
            Redo redo = it.next();
            if (now - redo.dueNanos() >= 0) {
                it.remove();
                try {
                    dispatch(
                            redo.record(),
                            deserializer.deserialize(
                                    redo.record().topic(), redo.record().value(), DeliveryTask.class));
                } catch (SerializationException cannotHappen) {
                    finished.add(new Finished(redo.record(), null));
                }
            }
        }
    }

    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Offsets partitionOffsets = offsets.get(partition);
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

    /** Waits up to the shutdown timeout for the deliveries of these partitions, then commits what finished. */
    private void finishInFlight(Collection<TopicPartition> partitions) throws InterruptedException {
        Set<TopicPartition> waitingFor = new HashSet<>(partitions);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (waitingFor.stream().anyMatch(partition -> !offsets.get(partition).idle())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.warn("shutdown timeout reached with deliveries in flight; the next owner delivers them again");
                break;
            }
            Finished done = finished.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            if (done != null) {
                account(done);
            }
            redos.removeIf(redo -> waitingFor.contains(
                    new TopicPartition(redo.record().topic(), redo.record().partition())));
        }
        commit(waitingFor, true);
    }

    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Offsets gone = offsets.remove(partition);
            if (gone != null) {
                inFlight.of(partition.topic()).addAndGet(-gone.inFlight());
            }
        }
        redos.removeIf(redo -> partitions.contains(
                new TopicPartition(redo.record().topic(), redo.record().partition())));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Partitions moving to another instance: finish their deliveries first, commit, then let them go. */
    private final class HandOver implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
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

    /** One partition's deliveries: the offsets started and not finished, in order. */
    static final class Offsets {

        private final ArrayDeque<Long> started = new ArrayDeque<>();
        private final Set<Long> finishedEarly = new HashSet<>();
        private long toCommit = -1;
        private long committed = -1;

        void started(long offset) {
            started.addLast(offset);
        }

        boolean isStarted(long offset) {
            return !started.isEmpty() && offset >= started.peekFirst() && !finishedEarly.contains(offset);
        }

        void finished(long offset) {
            finishedEarly.add(offset);
            while (!started.isEmpty() && finishedEarly.remove(started.peekFirst())) {
                toCommit = started.pollFirst() + 1;
            }
        }

        /** The offset to commit, or -1 when nothing new finished since the last commit. */
        long toCommit() {
            return toCommit > committed ? toCommit : -1;
        }

        void committed(long offset) {
            committed = Math.max(committed, offset);
        }

        boolean idle() {
            return started.isEmpty();
        }

        int inFlight() {
            return started.size();
        }
    }

    private record Finished(ConsumerRecord<String, byte[]> record, Throwable error) {}

    private record Redo(ConsumerRecord<String, byte[]> record, long dueNanos) {}
}
