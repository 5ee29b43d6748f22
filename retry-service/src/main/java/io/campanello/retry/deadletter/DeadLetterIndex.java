package io.campanello.retry.deadletter;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.ConsumerLoop;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * A summary of every dead letter on webhooks.dlq (about 300 bytes each; the topic keeps 30 days), followed as the
 * topic grows, for listing with filters. The records themselves stay on the topic and are read back by id.
 */
@Component
public class DeadLetterIndex extends ConsumerLoop {

    private static final Comparator<DeadLetterSummary> NEWEST_FIRST = Comparator.comparing(DeadLetterSummary::deadAt)
            .thenComparing(DeadLetterSummary::id)
            .reversed();

    private final String topic;
    private final Map<String, DeadLetterSummary> byId = new ConcurrentHashMap<>();
    private final AvroDeserializer deserializer = new AvroDeserializer();

    DeadLetterIndex(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        super("dead-letter-index", kafka.buildConsumerProperties(), null);
        this.topic = properties.topics().dlq();
    }

    /** A page, newest first: those older than {@code after} (a cursor from the previous page), at most {@code limit}. */
    public Page list(DeadLetterQuery query, String after, int limit) {
        List<DeadLetterSummary> matching = byId.values().stream()
                .filter(query::matches)
                .sorted(NEWEST_FIRST)
                .toList();
        int start = 0;
        if (after != null) {
            DeadLetterSummary last = byId.get(after);
            while (start < matching.size() && last != null && NEWEST_FIRST.compare(matching.get(start), last) <= 0) {
                start++;
            }
        }
        List<DeadLetterSummary> page =
                new ArrayList<>(matching.subList(start, Math.min(matching.size(), start + limit)));
        String next =
                start + limit < matching.size() ? page.get(page.size() - 1).id() : null;
        return new Page(page, next);
    }

    public Optional<DeadLetterSummary> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** One page of dead letters and the cursor of the next, null on the last. */
    public record Page(List<DeadLetterSummary> items, String nextCursor) {}

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                add(record);
            }
        }
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        String id = DeadLetterSummary.idOf(record.partition(), record.offset());
        if (record.value() == null) {
            // webhooks.dlq is not compacted: a tombstone deletes nothing and is no dead letter.
            unreadable(record, UnreadableRecords.TOMBSTONE);
            return;
        }
        try {
            byId.put(id, DeadLetterSummary.of(id, deserializer.deserialize(topic, record.value(), DeadLetter.class)));
        } catch (SerializationException e) {
            // A record that was unreadable where it came from: listed, never replayable.
            byId.put(
                    id,
                    new DeadLetterSummary(
                            id,
                            null,
                            null,
                            null,
                            null,
                            null,
                            "unreadable",
                            null,
                            null,
                            0,
                            null,
                            null,
                            Instant.ofEpochMilli(record.timestamp())));
            unreadable(record, UnreadableRecords.UNREADABLE);
        }
    }
}
