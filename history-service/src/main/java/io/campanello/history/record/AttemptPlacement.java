package io.campanello.history.record;

import io.campanello.kafka.SubscriptionPartition;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.util.function.IntSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Sends an attempt on to the history at once when it already sits in its subscription's partition (the dispatcher
 * writes it there, {@link SubscriptionPartition}), and through the {@code attempts-by-subscription} repartition topic
 * otherwise: attempts written before the dispatcher placed them, by another writer, or while webhooks.attempts and
 * webhooks.deliveries have different partition counts ({@code partitions} is then 0).
 */
final class AttemptPlacement implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** The child that takes attempts in place. */
    static final String IN_PLACE = "attempts-in-place";

    /** The child that re-keys the others by subscription. */
    static final String ELSEWHERE = "attempts-elsewhere";

    private final IntSupplier partitions;
    private ProcessorContext<String, SpecificRecord> context;

    /** @param partitions the partition count of both topics, or 0 when they differ or are not known */
    AttemptPlacement(IntSupplier partitions) {
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        context.forward(record, inPlace(record) ? IN_PLACE : ELSEWHERE);
    }

    private boolean inPlace(Record<String, SpecificRecord> record) {
        int count = partitions.getAsInt();
        if (count <= 0 || !(record.value() instanceof DeliveryAttempt attempt)) {
            return false;
        }
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        return partition == SubscriptionPartition.of(attempt.getSubscriptionId(), count);
    }
}
