package io.campanello.ingest.source;

import io.campanello.ingest.event.EventWriter;
import io.campanello.kafka.DeadLetterWriter;
import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.v1.EventEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Reads the events that business systems produce on source topics, a poll's batch at a time, each record with the
 * reader of its topic: every event of the
 * batch is sent to webhooks.events, and every record that is not an event to the ingest dead-letter topic with the
 * reason, without waiting for one before sending the next; then it waits once for Kafka to acknowledge them all.
 * The container commits the batch's offsets only after that. When a write fails, the records from the first failed
 * one on are read again (after a back-off, for as long as it takes): events already written are written again with
 * the same id, which downstream turns into the same {@code webhook-id}. A record whose Avro schema the registry
 * cannot give now is treated the same way: the records before it are written, it and those after it wait.
 */
class SourceTopicListener implements BatchMessageListener<String, byte[]> {

    private final Map<String, SourceRecordReader> readers;
    private final EventWriter writer;
    private final DeadLetterWriter deadLetters;
    private final Counter accepted;
    private final Counter deadLettered;
    private final Counter skipped;

    SourceTopicListener(
            Map<String, SourceRecordReader> readers,
            EventWriter writer,
            DeadLetterWriter deadLetters,
            MeterRegistry meters) {
        this.readers = readers;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.accepted = meters.counter("campanello.ingest.source.records", "outcome", "accepted");
        this.deadLettered = meters.counter("campanello.ingest.source.records", "outcome", "dead_lettered");
        this.skipped = meters.counter("campanello.ingest.source.records", "outcome", "skipped");
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        List<CompletableFuture<?>> writes = new ArrayList<>(records.size());
        SchemaRegistryUnavailableException waiting = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                writes.add(send(record));
            } catch (SchemaRegistryUnavailableException e) {
                waiting = e;
                break;
            }
        }
        awaitAll(writes);
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).isCompletedExceptionally()) {
                throw new BatchListenerFailedException(
                        "could not write to Kafka", cause(writes.get(i)), records.get(i));
            }
        }
        if (waiting != null) {
            // Like a failed write: the records from this one on are read again after the error handler's back-off.
            throw new BatchListenerFailedException("schema registry unavailable", waiting, records.get(writes.size()));
        }
    }

    private CompletableFuture<?> send(ConsumerRecord<String, byte[]> record) {
        try {
            Optional<EventEnvelope> event = readers.get(record.topic()).read(record);
            if (event.isEmpty()) {
                skipped.increment();
                return CompletableFuture.completedFuture(null);
            }
            return writer.write(event.get()).thenRun(accepted::increment);
        } catch (UnreadableRecordException e) {
            return deadLetters.send(record, e).thenRun(deadLettered::increment);
        }
    }

    /** Kafka completes every send, acknowledged or failed, within the producer's delivery timeout. */
    private static void awaitAll(List<CompletableFuture<?>> writes) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .exceptionally(failure -> null)
                .join();
    }

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
