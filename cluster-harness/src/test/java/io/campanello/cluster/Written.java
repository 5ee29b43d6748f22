package io.campanello.cluster;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What was written to Kafka, to tell where a duplicate came from: an event written twice to {@code webhooks.events}
 * (a producer sent it again after an answer it did not get), a delivery task written twice to {@code
 * webhooks.deliveries} (the matcher matched an event again after a take-over), or neither (the dispatcher or the
 * retry service called again what it had in flight).
 */
final class Written {

    private Written() {}

    /** Events on {@code webhooks.events} written more than once, by event id, among {@code eventIds}. */
    static int eventsTwice(String bootstrapServers, Set<String> eventIds) {
        return twice(
                bootstrapServers,
                Topics.EVENTS,
                value -> value instanceof EventEnvelope event && eventIds.contains(event.getId())
                        ? event.getId()
                        : null);
    }

    /** Delivery tasks on {@code webhooks.deliveries} written more than once, of {@code subscriptionIds}. */
    static int tasksTwice(String bootstrapServers, Set<String> subscriptionIds) {
        return twice(
                bootstrapServers,
                Topics.DELIVERIES,
                value -> value instanceof DeliveryTask task && subscriptionIds.contains(task.getSubscriptionId())
                        ? task.getDeliveryId()
                        : null);
    }

    /** Retries on {@code webhooks.redeliveries} written more than once (by delivery id), of {@code subscriptionIds}. */
    static int retriesTwice(String bootstrapServers, Set<String> subscriptionIds) {
        return twice(
                bootstrapServers,
                Topics.REDELIVERIES,
                value -> value instanceof DeliveryTask task && subscriptionIds.contains(task.getSubscriptionId())
                        ? task.getDeliveryId()
                        : null);
    }

    /** Retries on a retry tier topic written more than once (by delivery id), of {@code subscriptionIds}. */
    static int tierTwice(String bootstrapServers, String tier, Set<String> subscriptionIds) {
        return twice(
                bootstrapServers,
                tier,
                value -> value instanceof DeliveryTask task && subscriptionIds.contains(task.getSubscriptionId())
                        ? task.getDeliveryId()
                        : null);
    }

    /** Records beyond the first of each key (null: not counted), reading the topic to its end as committed. */
    private static int twice(String bootstrapServers, String topic, Function<SpecificRecord, String> key) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2000),
                new StringDeserializer(),
                new AvroDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    String id = key.apply(record.value());
                    if (id != null) {
                        counts.merge(id, 1, Integer::sum);
                    }
                }
            }
        }
        return counts.values().stream().mapToInt(count -> count - 1).sum();
    }
}
