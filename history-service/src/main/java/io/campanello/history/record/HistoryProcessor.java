package io.campanello.history.record;

import io.campanello.history.record.Histories.TaskSource;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each record of the delivery topics into its delivery's history ({@link #RECORDS}, key = delivery id) and keeps
 * the index ({@link #INDEX}, {@link HistoryKeys}); every {@code purgeInterval} removes the deliveries past the
 * retention. All records of a subscription reach the same task, so its log is in one place.
 */
final class HistoryProcessor implements Processor<String, SpecificRecord, Void, Void> {

    static final String RECORDS = "history-deliveries";
    static final String INDEX = "history-index";

    /** Deliveries removed per purge at most, so a purge after a long stop does not hold up processing. */
    private static final int PURGE_BATCH = 50_000;

    private final Histories histories;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final Duration retention;
    private final Duration purgeInterval;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, SpecificRecord> records;
    private KeyValueStore<String, String> index;

    HistoryProcessor(
            Histories histories,
            CampanelloKafkaProperties.TopicNames topics,
            Duration retention,
            Duration purgeInterval) {
        this.histories = histories;
        this.topics = topics;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.records = context.getStateStore(RECORDS);
        this.index = context.getStateStore(INDEX);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, now -> purge(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (at.isBefore(Instant.ofEpochMilli(context.currentSystemTimeMs()).minus(retention))) {
            return;
        }
        SpecificRecord value = record.value();
        if (value instanceof DeliveryAttempt attempt) {
            update(attempt.getDeliveryId(), current -> histories.onAttempt(current, attempt, at));
        } else if (value instanceof DeadLetter deadLetter && deadLetter.getTask() != null) {
            update(deadLetter.getTask().getDeliveryId(), current -> histories.onDeadLetter(current, deadLetter, at));
        } else if (value instanceof DeliveryTask task) {
            TaskSource source = sourceOf(
                    context.recordMetadata().map(metadata -> metadata.topic()).orElse(""));
            if (source != null) {
                update(task.getDeliveryId(), current -> histories.onTask(current, task, source, at));
            }
        }
    }

    private TaskSource sourceOf(String topic) {
        if (topic.equals(topics.deliveries())) {
            return TaskSource.FRESH;
        }
        if (topic.equals(topics.redeliveries())) {
            return TaskSource.REDELIVERY;
        }
        if (topic.equals(topics.parked())) {
            return TaskSource.PARKED;
        }
        return null;
    }

    private interface Change {
        DeliveryHistory apply(DeliveryHistory current);
    }

    private void update(String deliveryId, Change change) {
        DeliveryHistory current = (DeliveryHistory) records.get(deliveryId);
        DeliveryHistory next = change.apply(current);
        records.put(deliveryId, next);
        if (current == null) {
            index.put(HistoryKeys.subscription(next.getSubscriptionId(), next.getCreatedAt(), deliveryId), "");
            index.put(HistoryKeys.event(next.getEventId(), deliveryId), "");
            index.put(HistoryKeys.age(next.getCreatedAt(), deliveryId), "");
        }
    }

    /** Removes every delivery created before {@code now - retention}, oldest first. */
    private void purge(Instant now) {
        String from = HistoryKeys.agePrefix();
        String to = HistoryKeys.age(now.minus(retention), "");
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> range = index.range(from, to)) {
            while (range.hasNext() && expired.size() < PURGE_BATCH) {
                expired.add(range.next().key);
            }
        }
        for (String ageKey : expired) {
            String deliveryId = HistoryKeys.deliveryOf(ageKey);
            DeliveryHistory history = (DeliveryHistory) records.delete(deliveryId);
            index.delete(ageKey);
            if (history != null) {
                index.delete(HistoryKeys.subscription(history.getSubscriptionId(), history.getCreatedAt(), deliveryId));
                index.delete(HistoryKeys.event(history.getEventId(), deliveryId));
            }
        }
    }
}
