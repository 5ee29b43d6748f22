package io.campanello.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

/** A test send answers with its attempt, whatever else is written to webhooks.attempts under its delivery id. */
@EmbeddedKafka(partitions = 1)
class TestSendIT {

    private static final String KEY = "cmp_test_send_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = SubscriptionApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.api.key=" + KEY,
                        "--campanello.secrets.key=" + SecretCipher.generateKey(),
                        "--campanello.matcher.state-dir=target/matcher-" + UUID.randomUUID(),
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private String url(String path) {
        return "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + path;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + KEY);
    }

    @Test
    void aTestSendGoesPastATombstoneAndUnreadableBytesAndAnswersWithItsAttempt() throws Exception {
        HttpResponse<String> created = http.send(
                request("/v1/subscriptions")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\": \"https://93.184.215.14/orders\", \"eventTypes\": [\"order.*\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String subscription = JSON.readTree(created.body()).get("id").stringValue();

        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                request("/v1/subscriptions/" + subscription + "/test")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        DeliveryTask task = sentTask(subscription);

        DeliveryAttempt attempt = DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(subscription)
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(1)
                .setUrl("https://93.184.215.14/orders")
                .setStartedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setDurationMillis(12)
                .setOutcome(AttemptOutcome.DELIVERED)
                .setStatus(204)
                .build();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ATTEMPTS, task.getDeliveryId(), null));
            producer.send(new ProducerRecord<>(
                    Topics.ATTEMPTS, task.getDeliveryId(), "random bytes".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    Topics.ATTEMPTS, task.getDeliveryId(), new AvroSerializer().serialize(Topics.ATTEMPTS, attempt)));
        }

        HttpResponse<String> result = answer.get(30, TimeUnit.SECONDS);
        assertThat(result.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(result.body());
        assertThat(body.path("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(body.path("status").asInt()).isEqualTo(204);
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(url("/actuator/prometheus")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics.lines()
                        .filter(line -> line.startsWith("campanello_records_unreadable_total{")
                                && line.contains("consumer=\"attempt-watcher\"")))
                .anySatisfy(line -> assertThat(line).contains("reason=\"tombstone\""))
                .anySatisfy(line -> assertThat(line).contains("reason=\"unreadable\""));
    }

    /** The test task the service wrote for the dispatcher. */
    private DeliveryTask sentTask(String subscription) {
        AvroDeserializer avro = new AvroDeserializer();
        DeliveryTask[] found = new DeliveryTask[1];
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
            consumer.subscribe(List.of(Topics.DELIVERIES));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (subscription.equals(record.key())) {
                        found[0] = avro.deserialize(Topics.DELIVERIES, record.value(), DeliveryTask.class);
                    }
                });
                return found[0] != null;
            });
        }
        return found[0];
    }
}
