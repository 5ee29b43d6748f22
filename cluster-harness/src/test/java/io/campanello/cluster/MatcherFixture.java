package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import tools.jackson.databind.json.JsonMapper;

/** Events into the matcher and its delivery tasks out of it, straight on Kafka, for the matcher's cluster tests. */
final class MatcherFixture {

    /** The matcher's Kafka Streams application id, its consumer group. */
    static final String APPLICATION_ID = "campanello-matcher";

    private static final String TENANT = "default";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MatcherFixture() {}

    /** Creates an active subscription to {@code order.*} with {@code mode}; its id. Nothing listens at its URL. */
    static String subscribe(ServiceProcess subscriptions, String mode) throws Exception {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(subscriptions.url() + "/v1/subscriptions"))
                        .header("Authorization", "Bearer " + ServiceProcesses.API_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:9/hooks\","
                                + " \"eventTypes\": [\"order.*\"], \"mode\": \"" + mode + "\", \"activate\": true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asString();
    }

    /** {@code count} subjects starting with {@code prefix} whose events land on {@code partition}, as ingest keys them. */
    static List<String> subjectsOn(int partition, int partitions, String prefix, int count) {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; subjects.size() < count; i++) {
            String subject = prefix + i;
            if (partitionOf(subject, partitions) == partition) {
                subjects.add(subject);
            }
        }
        return subjects;
    }

    private static int partitionOf(String subject, int partitions) {
        return Utils.toPositive(Utils.murmur2(key(subject).getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The key ingest gives an event: tenant and subject, so that one subject's events share a partition. */
    private static String key(String subject) {
        return TENANT + "/" + subject;
    }

    /** Writes events to webhooks.events as ingest does ({@code acks=all}, keyed by subject). */
    static final class Events implements AutoCloseable {

        private final KafkaProducer<String, SpecificRecord> producer;

        Events(String bootstrapServers) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new AvroSerializer());
        }

        /** An {@code order.updated} event of {@code subject}; its id. */
        String send(String subject) {
            Instant now = Instant.now();
            EventEnvelope event = EventEnvelope.newBuilder()
                    .setId(Ids.newEventId())
                    .setTenant(TENANT)
                    .setType("order.updated")
                    .setSubject(subject)
                    .setTime(now)
                    .setReceivedAt(now)
                    .setData("{\"amount\": 150}")
                    .build();
            producer.send(new ProducerRecord<>(Topics.EVENTS, key(subject), event));
            return event.getId();
        }

        void flush() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads every delivery task on webhooks.deliveries as the dispatcher does ({@code read_committed}). */
    static final class Tasks implements AutoCloseable {

        private final KafkaConsumer<String, SpecificRecord> consumer;
        private final Map<String, Map<String, Integer>> bySubscription = new ConcurrentHashMap<>();
        private final Consumer<DeliveryTask> seen;

        Tasks(String bootstrapServers) {
            this(bootstrapServers, task -> {});
        }

        /** Also hands each task read to {@code seen}. */
        Tasks(String bootstrapServers, Consumer<DeliveryTask> seen) {
            this.seen = seen;
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    new StringDeserializer(),
                    new AvroDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DELIVERIES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads what has arrived (up to 200 ms). */
        Tasks poll() {
            for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() instanceof DeliveryTask task) {
                    bySubscription
                            .computeIfAbsent(task.getSubscriptionId(), any -> new ConcurrentHashMap<>())
                            .merge(task.getEvent().getSubject(), 1, Integer::sum);
                    seen.accept(task);
                }
            }
            return this;
        }

        /** How many of {@code subjects} have at least one task of {@code subscription}. */
        long forSubjects(String subscription, List<String> subjects) {
            Map<String, Integer> counts = countsBySubject(subscription);
            return subjects.stream().filter(counts::containsKey).count();
        }

        /** The tasks of {@code subscription} per subject. */
        Map<String, Integer> countsBySubject(String subscription) {
            return Map.copyOf(bySubscription.getOrDefault(subscription, Map.of()));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
