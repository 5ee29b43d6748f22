package io.campanello.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records a consumer could not read and went past (skipped or dead-lettered) in
 * {@code campanello.records.unreadable}, tagged by topic, consumer and reason, and logs where they are (never
 * their content).
 */
public final class UnreadableRecords {

    /** The metric's name. */
    public static final String METRIC = "campanello.records.unreadable";

    /** A record without a value (a tombstone) where a value is expected. */
    public static final String TOMBSTONE = "tombstone";

    /** Bytes that are not a record of the expected type (not Avro, an unknown schema, another type). */
    public static final String UNREADABLE = "unreadable";

    /** A record without a key where the key names the row. */
    public static final String NO_KEY = "no-key";

    private static final Logger log = LoggerFactory.getLogger(UnreadableRecords.class);

    private final String consumer;
    private volatile MeterRegistry meters;

    /** Counts into the global registry until {@link #countInto(MeterRegistry)} names the service's. */
    public UnreadableRecords(String consumer) {
        this(consumer, Metrics.globalRegistry);
    }

    public UnreadableRecords(String consumer, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
    }

    void countInto(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts a record gone past, and says where it is. */
    public void count(ConsumerRecord<?, ?> record, String reason) {
        log.warn(
                "went past a record it could not read consumer={} reason={} topic={} partition={} offset={}",
                consumer,
                reason,
                record.topic(),
                record.partition(),
                record.offset());
        Counter.builder(METRIC)
                .description("Records a consumer could not read and went past (skipped or dead-lettered)")
                .tag("topic", record.topic())
                .tag("consumer", consumer)
                .tag("reason", reason)
                .register(meters)
                .increment();
    }
}
