package io.campanello.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.EventEnvelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * The dispatcher's verdicts on webhooks.endpoint-health, as the owner of a subscription sees them: a failing endpoint
 * is reported, a gone one disabled and reported, to the tenant's own subscriptions and to no other tenant's.
 */
@EmbeddedKafka(partitions = 1)
class EndpointHealthIT {

    private static final String KEY = "cmp_health_test_default";
    private static final String OTHER_KEY = "cmp_health_test_globex";
    private static final String SECRETS_KEY = SecretCipher.generateKey();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroDeserializer AVRO = new AvroDeserializer();

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext service;
    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = SubscriptionApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.api.key=" + KEY,
                        "--campanello.api.keys=globex=" + OTHER_KEY,
                        "--campanello.secrets.key=" + SECRETS_KEY,
                        "--campanello.matcher.state-dir=target/matcher-" + UUID.randomUUID(),
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aGoneEndpointDisablesItsSubscriptionAndOnlyItsTenantIsTold() throws Exception {
        String gone = create(KEY, "order.created");
        String watcher = create(KEY, "campanello.subscription.*");
        String otherTenant = create(OTHER_KEY, "campanello.subscription.*");
        Instant failingSince = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);

        publish(health(gone, EndpointState.DISABLED, failingSince)
                .setLastStatus(410)
                .setReason("gone")
                .build());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> status(get(KEY, gone)).equals("DISABLED"));
        JsonNode disabled = get(KEY, gone).body();
        assertThat(disabled.get("revision").intValue()).isEqualTo(2);
        assertThat(disabled.get("updatedAt")).isNotNull();

        ConsumerRecord<String, EventEnvelope> told = eventAbout(gone);
        EventEnvelope event = told.value();
        assertThat(told.key()).isEqualTo("default/" + gone);
        assertThat(event.getType()).isEqualTo("campanello.subscription.disabled");
        assertThat(event.getTenant()).isEqualTo("default");
        assertThat(event.getSubject()).isEqualTo(gone);
        JsonNode data = JSON.readTree(event.getData());
        assertThat(data.get("subscriptionId").stringValue()).isEqualTo(gone);
        assertThat(data.get("url").stringValue()).isEqualTo("https://93.184.215.14/hooks");
        assertThat(data.get("state").stringValue()).isEqualTo("DISABLED");
        assertThat(data.get("reason").stringValue()).isEqualTo("gone");
        assertThat(data.get("lastStatus").intValue()).isEqualTo(410);
        assertThat(data.get("failingSince").stringValue()).isEqualTo(failingSince.toString());

        List<DeliveryTask> tasks = deliveriesOf(event.getId(), watcher);
        assertThat(tasks)
                .extracting(DeliveryTask::getSubscriptionId)
                .as("the tenant's subscription to campanello.subscription.* gets it; the other tenant's never")
                .containsExactly(watcher)
                .doesNotContain(otherTenant);

        Answer resumed = call(
                KEY,
                HttpRequest.newBuilder(URI.create(base() + "/" + gone + "/resume"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(status(resumed)).isEqualTo("ACTIVE");
        assertThat(resumed.body().get("revision").intValue()).isEqualTo(3);
    }

    @Test
    void aFailingEndpointIsReportedWhileItsSubscriptionStaysActive() throws Exception {
        String failing = create(KEY, "invoice.paid");
        Instant failingSince = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

        publish(health(failing, EndpointState.FAILING, failingSince)
                .setConsecutiveFailures(5)
                .setLastError("connection_refused")
                .build());

        EventEnvelope event = eventAbout(failing).value();
        assertThat(event.getType()).isEqualTo("campanello.subscription.failing");
        assertThat(event.getTenant()).isEqualTo("default");
        JsonNode data = JSON.readTree(event.getData());
        assertThat(data.get("state").stringValue()).isEqualTo("FAILING");
        assertThat(data.get("consecutiveFailures").intValue()).isEqualTo(5);
        assertThat(data.get("lastError").stringValue()).isEqualTo("connection_refused");
        assertThat(data.get("reason").isNull()).isTrue();

        Answer read = get(KEY, failing);
        assertThat(status(read)).isEqualTo("ACTIVE");
        assertThat(read.body().get("revision").intValue()).isEqualTo(1);
    }

    private EndpointHealth.Builder health(String subscriptionId, EndpointState state, Instant failingSince) {
        return EndpointHealth.newBuilder()
                .setSubscriptionId(subscriptionId)
                .setTenant("default")
                .setUrl("https://93.184.215.14/hooks")
                .setState(state)
                .setFailingSince(failingSince)
                .setConsecutiveFailures(1)
                .setUpdatedAt(Instant.now());
    }

    private void publish(EndpointHealth health) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ENDPOINT_HEALTH, health.getSubscriptionId(), health))
                    .get();
        }
    }

    /** The first event on webhooks.events whose subject is the subscription. */
    private ConsumerRecord<String, EventEnvelope> eventAbout(String subscriptionId) {
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.EVENTS));
            List<ConsumerRecord<String, EventEnvelope>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope event = AVRO.deserialize(Topics.EVENTS, record.value(), EventEnvelope.class);
                    if (subscriptionId.equals(event.getSubject())) {
                        found.add(new ConsumerRecord<>(
                                record.topic(), record.partition(), record.offset(), record.key(), event));
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    /**
     * The matcher's tasks for an event, read until the one for {@code expected} has arrived and then up to the end of
     * every partition, so that a task for another subscription, written with it, would be among them.
     */
    private List<DeliveryTask> deliveriesOf(String eventId, String expected) {
        List<DeliveryTask> tasks = new ArrayList<>();
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(Topics.DELIVERIES));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(consumer, eventId, tasks);
                return tasks.stream().anyMatch(task -> task.getSubscriptionId().equals(expected));
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(consumer, eventId, tasks);
                return end.entrySet().stream()
                        .allMatch(partition -> consumer.position(partition.getKey()) >= partition.getValue());
            });
        }
        return tasks;
    }

    private static void collect(KafkaConsumer<String, byte[]> consumer, String eventId, List<DeliveryTask> tasks) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            DeliveryTask task = AVRO.deserialize(Topics.DELIVERIES, record.value(), DeliveryTask.class);
            if (task.getEvent().getId().equals(eventId)) {
                tasks.add(task);
            }
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private record Answer(int status, JsonNode body) {}

    private String base() {
        return "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + "/v1/subscriptions";
    }

    private Answer call(String key, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    private String create(String key, String eventType) throws IOException, InterruptedException {
        Answer created = call(
                key,
                HttpRequest.newBuilder(URI.create(base()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"https://93.184.215.14/hooks\","
                                + " \"eventTypes\": [\"" + eventType + "\"], \"activate\": true}")));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").stringValue();
    }

    private Answer get(String key, String id) throws IOException, InterruptedException {
        return call(key, HttpRequest.newBuilder(URI.create(base() + "/" + id)).GET());
    }

    private static String status(Answer answer) {
        return answer.body().get("status").stringValue();
    }
}
