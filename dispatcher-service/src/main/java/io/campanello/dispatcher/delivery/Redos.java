package io.campanello.dispatcher.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records whose handling failed because Kafka refused a write: each is started again in place after a growing pause
 * ({@link Backoff#KAFKA_WRITES}), its offset uncommitted meanwhile. Time is given in {@link System#nanoTime()} units
 * so the polling thread decides what is due without a timer.
 */
final class Redos {

    private final Backoff backoff;
    private final Map<ConsumerRecord<String, byte[]>, Duration> lastPause = new IdentityHashMap<>();
    private final Map<ConsumerRecord<String, byte[]>, Long> dueAt = new IdentityHashMap<>();

    Redos(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Schedules the record again and says after how long. */
    Duration failed(ConsumerRecord<String, byte[]> record, long nowNanos) {
        Duration pause = backoff.after(lastPause.get(record));
        lastPause.put(record, pause);
        dueAt.put(record, nowNanos + pause.toNanos());
        return pause;
    }

    /** The record's handling succeeded: a later failure of it starts from the first pause again. */
    void succeeded(ConsumerRecord<String, byte[]> record) {
        lastPause.remove(record);
    }

    /** Takes out the records due to be started again. */
    List<ConsumerRecord<String, byte[]>> due(long nowNanos) {
        List<ConsumerRecord<String, byte[]>> due = new ArrayList<>();
        for (Iterator<Map.Entry<ConsumerRecord<String, byte[]>, Long>> it =
                        dueAt.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<ConsumerRecord<String, byte[]>, Long> entry = it.next();
            if (nowNanos - entry.getValue() >= 0) {
                due.add(entry.getKey());
                it.remove();
            }
        }
        due.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return due;
    }

    /** Drops the records of partitions this instance no longer owns. */
    void forget(Collection<TopicPartition> partitions) {
        dueAt.keySet().removeIf(record -> partitions.contains(partitionOf(record)));
        lastPause.keySet().removeIf(record -> partitions.contains(partitionOf(record)));
    }

    boolean isEmpty() {
        return dueAt.isEmpty();
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
