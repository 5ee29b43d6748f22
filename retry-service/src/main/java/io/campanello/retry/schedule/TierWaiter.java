package io.campanello.retry.schedule;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Holds every retry tier until its tasks are due, with one consumer and no timer or thread per task. Each partition
 * is read ahead into a bounded window (at most {@link #WINDOW} tasks; when it is full the partition is paused, so a
 * million waiting retries cost disk, not heap); each task is handed back to the dispatcher (webhooks.redeliveries)
 * at its own due time, even when a later one is due first (retries are jittered). The committed offset is the
 * first task not yet handed back, so a crash or rebalance loses nothing and sends nothing early; the tasks after it
 * that were already handed back (due earlier than a task before them) travel in the commit's metadata as
 * {@link HandedBack}, so the next owner of the partition skips them. At worst a task handed back just before a crash
 * (after the last commit) is handed back again, with the same webhook-id.
 */
@Component
class TierWaiter extends ConsumerLoop {

    /** Consumer group of the retry tiers. */
    static final String GROUP_ID = "campanello-retry";

    /** The most tasks read ahead per partition. */
    static final int WINDOW = 1_000;

    private static final Logger log = LoggerFactory.getLogger(TierWaiter.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

    private final List<String> tiers;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final Clock clock;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final Map<TopicPartition, Window> windows = new HashMap<>();
    /** The earliest due time among the waiting tasks, as of the last hand-over; null when none has one. */
    private Instant nextDue;

    private KafkaConsumer<String, byte[]> consumer;

    /** A task read from a tier and its record key. */
    /** A task read ahead, with its record's headers: they go back to the dispatcher with it. */
    private record Waiting(String key, DeliveryTask task, Headers headers) {}

    /** The tasks of one partition read but not yet handed back, by offset, and where reading stands. */
    private static final class Window {
        final TreeMap<Long, Waiting> waiting = new TreeMap<>();
        /** Offsets at or after the commit offset whose tasks were handed back already (or by an earlier owner). */
        final TreeSet<Long> handedBack = new TreeSet<>();

        long readUpTo = -1;

        long commitOffset() {
            return waiting.isEmpty() ? readUpTo : waiting.firstKey();
        }

        OffsetAndMetadata commit() {
            long offset = commitOffset();
            handedBack.headSet(offset).clear();
            return new OffsetAndMetadata(offset, HandedBack.metadata(offset, handedBack));
        }
    }

    TierWaiter(
            KafkaProperties kafkaProperties,
            CampanelloKafkaProperties properties,
            KafkaTemplate<String, SpecificRecord> kafka,
            DeadLetterPublishingRecoverer deadLetters,
            Clock clock) {
        super("retry-tiers", kafkaProperties.buildConsumerProperties(), GROUP_ID);
        this.tiers = properties.retrySchedule().tierTopics();
        this.topics = properties.topics();
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public void start() {
        super.start();
        log.info("waiting on retry tiers topics={}", tiers);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        // A fresh consumer (at start, or after a failure) reads from the committed offsets: forget the windows.
        windows.clear();
        nextDue = null;
        this.consumer = consumer;
        consumer.subscribe(tiers, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commit(partitions);
                partitions.forEach(windows::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // A newly assigned partition is read from its committed offset, the first task not handed back; the
                // tasks after it that the last owner handed back already are skipped.
                if (partitions.isEmpty()) {
                    return;
                }
                consumer.committed(new HashSet<>(partitions)).forEach((partition, committed) -> {
                    if (committed != null) {
                        Window window = new Window();
                        window.handedBack.addAll(HandedBack.offsets(committed.offset(), committed.metadata()));
                        windows.put(partition, window);
                    }
                });
            }
        });
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(pollWait())) {
                read(record);
            }
            handOverDue();
        }
    }

    @Override
    protected void failed(RuntimeException e) {
        // Nothing more is committed as the consumer closes: what was not handed back is read again.
        windows.clear();
        log.error("retry tier consumer failed; tasks stay on their tiers", e);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Window window = windows.computeIfAbsent(partition, p -> new Window());
        window.readUpTo = record.offset() + 1;
        if (window.handedBack.contains(record.offset())) {
            // Handed back by the last owner of the partition, after its committed offset: not again.
            return;
        }
        if (record.value() == null) {
            // A tombstone holds no task: nothing to hand back or to dead-letter.
            unreadable(record, UnreadableRecords.TOMBSTONE);
        } else {
            try {
                DeliveryTask task = deserializer.deserialize(record.topic(), record.value(), DeliveryTask.class);
                window.waiting.put(record.offset(), new Waiting(record.key(), task, record.headers()));
            } catch (SerializationException e) {
                // Not a task: it goes to the dead-letter topic with the error in its headers, never blocks the tier.
                deadLetters.accept(record, e);
                unreadable(record, UnreadableRecords.UNREADABLE);
            }
        }
        if (window.waiting.size() >= WINDOW) {
            consumer.pause(List.of(partition));
        }
    }

    /** Hands back every task that is due, in every window; then commits what was handed back. */
    private void handOverDue() throws InterruptedException {
        Instant now = clock.instant();
        Instant earliest = null;
        List<CompletableFuture<?>> writes = new ArrayList<>();
        List<TopicPartition> touched = new ArrayList<>();
        for (Map.Entry<TopicPartition, Window> entry : windows.entrySet()) {
            Window window = entry.getValue();
            boolean handedBack = false;
            for (var waiting = window.waiting.entrySet().iterator(); waiting.hasNext(); ) {
                Map.Entry<Long, Waiting> entryAt = waiting.next();
                Waiting next = entryAt.getValue();
                if (DueTime.isDue(next.task(), now)) {
                    writes.add(kafka.send(new ProducerRecord<>(
                            topics.redeliveries(), null, next.key(), (SpecificRecord) next.task(), next.headers())));
                    window.handedBack.add(entryAt.getKey());
                    waiting.remove();
                    handedBack = true;
                } else if (earliest == null || next.task().getNotBefore().isBefore(earliest)) {
                    earliest = next.task().getNotBefore();
                }
            }
            if (handedBack || window.waiting.isEmpty()) {
                touched.add(entry.getKey());
            }
            if (window.waiting.size() < WINDOW / 2 && consumer.paused().contains(entry.getKey())) {
                consumer.resume(List.of(entry.getKey()));
            }
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            // Nothing is committed: the tasks are read and handed over again (at least once).
            throw new IllegalStateException("could not hand due tasks back", e.getCause());
        }
        nextDue = earliest;
        commit(touched);
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Window window = windows.get(partition);
            if (window != null && window.readUpTo >= 0) {
                offsets.put(partition, window.commit());
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    /** Until the earliest waiting task is due, and never longer than a short poll, to read what arrives. */
    private Duration pollWait() {
        if (nextDue == null) {
            return MAX_POLL_WAIT;
        }
        Duration until = Duration.between(clock.instant(), nextDue);
        return until.isNegative() ? Duration.ZERO : until.compareTo(MAX_POLL_WAIT) < 0 ? until : MAX_POLL_WAIT;
    }
}
