package io.campanello.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tombstone, random bytes or a record of an unknown schema on any topic the retry service reads never stops it:
 * it is dead-lettered or gone past, counted in {@code campanello.records.unreadable}, and the next record is read.
 */
@EmbeddedKafka(partitions = 1)
class UnreadableRecordsIT {

    private static final String TIER = "webhooks.retry.2s";
    private static final String ADMIN_KEY = "cmp_admin_unreadable_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Avro's single-object marker followed by a fingerprint no Campanello schema has. */
    private static final byte[] UNKNOWN_SCHEMA = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 2, 'x', 0};

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = RetryApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.kafka.retry-delays=2s,4s",
                        "--campanello.api.admin-key=" + ADMIN_KEY,
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private static DeliveryTask task(String subscriptionId) {
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant("default")
                .setType("order.created")
                .setTime(Instant.now())
                .setReceivedAt(Instant.now())
                .build();
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscriptionId))
                .setSubscriptionId(subscriptionId)
                .setTenant("default")
                .setEvent(event)
                .setAttempts(1)
                .setNotBefore(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static DeadLetter deadLetter(String subscriptionId) {
        return DeadLetter.newBuilder()
                .setTask(task(subscriptionId))
                .setReason(DeadLetterReason.EXHAUSTED)
                .setDeadAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** Writes the values in order, each keyed by {@code key}; where they went, as dead-letter ids do: partition-offset. */
    private List<String> write(String topic, String key, byte[]... values) throws Exception {
        List<String> offsets = new ArrayList<>();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (byte[] value : values) {
                RecordMetadata sent =
                        producer.send(new ProducerRecord<>(topic, key, value)).get();
                offsets.add(sent.partition() + "-" + sent.offset());
            }
        }
        return offsets;
    }

    private List<ConsumerRecord<String, byte[]>> readUntil(String topic, String key, int count) {
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (key.equals(r.key())) {
                        read.add(r);
                    }
                });
                return read.size() >= count;
            });
        }
        return read;
    }

    private HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        return http.send(
                request.header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + path;
    }

    private double unreadableCount(String topic, String consumer, String reason) throws Exception {
        String metrics = call(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus"))))
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("campanello_records_unreadable_total{")
                        && line.contains("topic=\"" + topic + "\"")
                        && line.contains("consumer=\"" + consumer + "\"")
                        && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aTierGoesPastATombstoneAndDeadLettersUnreadableBytesThenHandsBackTheNextTask() throws Exception {
        String subscription = Ids.newSubscriptionId();
        DeliveryTask good = task(subscription);

        write(
                TIER,
                subscription,
                null,
                "random bytes".getBytes(StandardCharsets.UTF_8),
                UNKNOWN_SCHEMA,
                new AvroSerializer().serialize(TIER, good));

        List<ConsumerRecord<String, byte[]>> handedBack = readUntil(Topics.REDELIVERIES, subscription, 1);
        assertThat(new AvroDeserializer()
                        .deserialize(Topics.REDELIVERIES, handedBack.get(0).value()))
                .isEqualTo(good);
        List<ConsumerRecord<String, byte[]>> deadLetters = readUntil(Topics.DLQ, subscription, 2);
        assertThat(deadLetters)
                .extracting(r -> new String(
                        r.headers().lastHeader(KafkaHeaders.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("unreadable", "unreadable");
        assertThat(deadLetters.get(1).value()).isEqualTo(UNKNOWN_SCHEMA);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> unreadableCount(TIER, "retry-tiers", "tombstone") >= 1
                        && unreadableCount(TIER, "retry-tiers", "unreadable") >= 2);
    }

    @Test
    void theDeadLetterListGoesPastATombstoneListsUnreadableBytesAndReadsOn() throws Exception {
        String subscription = Ids.newSubscriptionId();

        List<String> offsets = write(
                Topics.DLQ,
                subscription,
                null,
                "random bytes".getBytes(StandardCharsets.UTF_8),
                new AvroSerializer().serialize(Topics.DLQ, deadLetter(subscription)));

        await().atMost(Duration.ofSeconds(30)).until(() -> listed(subscription).size() == 1);
        HttpResponse<String> answer =
                call(HttpRequest.newBuilder(URI.create(url("/v1/dead-letters/" + offsets.get(1)))));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode unreadable = JSON.readTree(answer.body());
        assertThat(unreadable.path("reason").asString()).isEqualTo("unreadable");
        assertThat(call(HttpRequest.newBuilder(URI.create(url("/v1/dead-letters/" + offsets.get(0)))))
                        .statusCode())
                .as("a tombstone is no dead letter")
                .isEqualTo(404);
        assertThat(unreadableCount(Topics.DLQ, "dead-letter-index", "tombstone"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aReplayGoesPastTombstonesAndUnreadableBytesAndSendsTheDeadLettersAfterThem() throws Exception {
        String subscription = Ids.newSubscriptionId();
        DeadLetter good = deadLetter(subscription);
        write(
                Topics.DLQ,
                subscription,
                null,
                "random bytes".getBytes(StandardCharsets.UTF_8),
                UNKNOWN_SCHEMA,
                new AvroSerializer().serialize(Topics.DLQ, good));
        await().atMost(Duration.ofSeconds(30)).until(() -> listed(subscription).size() == 1);

        HttpResponse<String> started = call(HttpRequest.newBuilder(URI.create(url("/v1/replays")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"filter\": {\"subscription\": \"" + subscription + "\"}, \"ratePerSecond\": 1000}")));
        assertThat(started.statusCode()).isEqualTo(202);
        String replay = JSON.readTree(started.body()).path("id").asString();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "completed"
                        .equalsIgnoreCase(
                                JSON.readTree(call(HttpRequest.newBuilder(URI.create(url("/v1/replays/" + replay))))
                                                .body())
                                        .path("state")
                                        .asString()));
        List<ConsumerRecord<String, byte[]>> sent = readUntil(Topics.REDELIVERIES, subscription, 1);
        DeliveryTask replayed = new AvroDeserializer()
                .deserialize(Topics.REDELIVERIES, sent.get(0).value(), DeliveryTask.class);
        assertThat(replayed.getDeliveryId()).isEqualTo(good.getTask().getDeliveryId());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> unreadableCount(Topics.DLQ, "replay", "tombstone") >= 1
                        && unreadableCount(Topics.DLQ, "replay", "unreadable") >= 2);
    }

    private List<JsonNode> listed(String subscription) throws Exception {
        JsonNode page = JSON.readTree(
                call(HttpRequest.newBuilder(URI.create(url("/v1/dead-letters?subscription=" + subscription))))
                        .body());
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }
}
