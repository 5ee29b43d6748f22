package io.campanello.subscription.matching;

import io.campanello.schemas.v1.EventEnvelope;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Iterator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops an event whose id was already seen on its partition of webhooks.events within the dedupe window: a
 * producer's retry (same {@code Idempotency-Key}, same producer {@code id}) or a source record read again is matched
 * once. Copies of one event share a partition (its key on webhooks.events is made from what names it), so this
 * task's store sees them all.
 *
 * <p>The store is a window store keyed by event id, at the record's timestamp (when ingest accepted the copy), so
 * old ids expire a segment at a time without a scan; its changelog moves it with the task and restores it after a
 * restart. Its value is the offset of the copy that was matched: the same record read again after a crash (before
 * the matcher committed) is not a duplicate of itself and is matched again, as at-least-once promises; only a copy
 * at another offset is dropped.
 */
final class DuplicateEvents implements FixedKeyProcessor<String, SpecificRecord, SpecificRecord> {

    static final String STORE = "seen-events";

    private static final Logger log = LoggerFactory.getLogger(DuplicateEvents.class);

    private final long window;
    private final Counter dropped;
    private FixedKeyProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, Long> seen;

    DuplicateEvents(Duration window, Counter dropped) {
        this.window = window.toMillis();
        this.dropped = dropped;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, SpecificRecord> record) {
        if (!(record.value() instanceof EventEnvelope event)) {
            context.forward(record);
            return;
        }
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        long at = record.timestamp();
        // Both sides of the copy's time: two ingest instances' clocks may disagree on which copy came first.
        try (WindowStoreIterator<Long> earlier = seen.fetch(event.getId(), Math.max(0, at - window), at + window)) {
            if (isCopy(earlier, offset)) {
                dropped.increment();
                log.debug("dropped a repeated event event_id={}", event.getId());
                return;
            }
        }
        seen.put(event.getId(), offset, at);
        context.forward(record);
    }

    /**
     * Whether a record at {@code offset} is a copy of an event seen at these (timestamp, offset) entries: seen at
     * another offset. Seen only at its own offset, it is the same record read again, not yet committed.
     */
    static boolean isCopy(Iterator<KeyValue<Long, Long>> seenAt, long offset) {
        while (seenAt.hasNext()) {
            Long seenOffset = seenAt.next().value;
            if (seenOffset != null && seenOffset != offset) {
                return true;
            }
        }
        return false;
    }
}
