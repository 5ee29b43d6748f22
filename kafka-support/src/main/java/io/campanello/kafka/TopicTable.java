package io.campanello.kafka;

import io.campanello.schemas.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * A table kept in memory from a compacted topic: every instance reads the whole topic at start and then follows
 * it, so the topic stays the source of truth. {@link #start()} returns only once the table has caught up with the
 * end of the topic as it was at start, so listeners that depend on it start after it (lower lifecycle phase).
 */
public final class TopicTable<V extends SpecificRecord> extends ConsumerLoop {

    /**
     * Told of every change, in topic order; {@code value} is null when the key was deleted. A change this instance
     * applied as its own write is told again when it comes back from the topic: listeners must be idempotent.
     */
    @FunctionalInterface
    public interface ChangeListener<V> {
        void changed(String key, V previous, V value);
    }

    private static final Logger log = LoggerFactory.getLogger(TopicTable.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final Class<V> type;
    private final Duration startTimeout;
    private final List<ChangeListener<V>> listeners = new ArrayList<>();
    private final Map<String, V> rows = new ConcurrentHashMap<>();
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    /** A table of a topic, read with the service's Kafka settings; start waits at most a minute for it. */
    public TopicTable(String topic, Class<V> type, KafkaProperties kafka) {
        this(topic, type, kafka.buildConsumerProperties(), DEFAULT_START_TIMEOUT);
    }

    public TopicTable(String topic, Class<V> type, Map<String, Object> consumerConfig, Duration startTimeout) {
        super("table-" + topic, consumerConfig, null);
        this.topic = topic;
        this.type = type;
        this.startTimeout = startTimeout;
    }

    /** Registers a listener; call before {@link #start()}. */
    public void addListener(ChangeListener<V> listener) {
        listeners.add(listener);
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(rows.get(key));
    }

    public Collection<V> values() {
        return rows.values();
    }

    /**
     * Applies a change this instance has just written (and Kafka acknowledged) before it comes back from the topic,
     * so that a caller reads its own write. Applying the same record again later is harmless.
     */
    public void applyOwnWrite(String key, V value) {
        apply(key, value);
    }

    @Override
    public void start() {
        super.start();
        try {
            if (!caughtUp.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("could not read " + topic + " within " + startTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + topic, e);
        }
        log.info("table loaded topic={} rows={}", topic, rows.size());
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, startTimeout).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                apply(record);
            }
            if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                caughtUp.countDown();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            unreadable(record, UnreadableRecords.NO_KEY);
            return;
        }
        V value;
        try {
            // A tombstone (null value) deletes the row: that is what it means in a compacted topic.
            value = deserializer.deserialize(topic, record.value(), type);
        } catch (SerializationException e) {
            unreadable(record, UnreadableRecords.UNREADABLE);
            return;
        }
        apply(record.key(), value);
    }

    private synchronized void apply(String key, V value) {
        V previous = value == null ? rows.remove(key) : rows.put(key, value);
        // No equality check: Avro's equals fails on unions of logical types; listeners are idempotent.
        if (value == null && previous == null) {
            return;
        }
        for (ChangeListener<V> listener : listeners) {
            listener.changed(key, previous, value);
        }
    }

    /** Before the listener containers (which use the default phase), so that they see a loaded table. */
    @Override
    public int getPhase() {
        return 0;
    }
}
