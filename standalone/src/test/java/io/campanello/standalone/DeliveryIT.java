package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.signature.Webhook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path on a real broker and real HTTP, as a user drives it: subscribe over the REST API, send an event
 * over HTTP or on a source topic, and see the receiver get a POST whose signature verifies.
 */
class DeliveryIT {

    private static final String SOURCE_TOPIC = "erp.orders";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir,
                List.of("--campanello.kafka.retry-delays=1s,2s", "--campanello.ingest.source-topics=" + SOURCE_TOPIC)));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    private static String uniqueType() {
        return "order.created." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode subscribe(String path, String eventType) {
        Api.Response created = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + eventType
                        + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        return created.body();
    }

    private static String send(String eventJson) {
        Api.Response accepted = api.post("http://localhost:" + settings.ingestPort() + "/v1/events", eventJson);
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.body().get("id").stringValue();
    }

    @Test
    void anEventSentOverHttpReachesTheSubscriberSignedWithItsSecret() {
        deliverSigned("/signed");
    }

    private static void deliverSigned(String path) {
        String type = uniqueType();
        JsonNode subscription = subscribe(path, type);
        String secret = subscription.get("secret").stringValue();
        assertThat(secret).startsWith("whsec_");

        String eventId = send("{\"type\": \"" + type + "\", \"subject\": \"order-42\", \"data\": {\"amount\": 150}}");

        await().atMost(DELIVERY).until(() -> receiver.received(path).size() == 1);
        TestReceiver.Received call = receiver.received(path).get(0);
        assertThat(call.header("content-type")).isEqualTo("application/json");
        assertThat(call.header("webhook-id")).startsWith("dlv_");
        assertThatCode(() -> new Webhook(secret).verify(call.body(), call.headers()))
                .doesNotThrowAnyException();
        JsonNode body = JsonMapper.builder().build().readTree(call.body());
        assertThat(body.get("id").stringValue()).isEqualTo(eventId);
        assertThat(body.get("type").stringValue()).isEqualTo(type);
        assertThat(body.get("subject").stringValue()).isEqualTo("order-42");
        assertThat(body.get("data").get("amount").intValue()).isEqualTo(150);
    }

    @Test
    void anEventProducedOnASourceTopicIsDelivered() {
        String type = uniqueType();
        subscribe("/from-topic", type);

        try (var producer = new KafkaProducer<String, String>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(
                    SOURCE_TOPIC, "order-7", "{\"type\": \"" + type + "\", \"subject\": \"order-7\"}"));
        }

        await().atMost(DELIVERY).until(() -> receiver.received("/from-topic").size() == 1);
        assertThat(receiver.received("/from-topic").get(0).bodyText()).contains("\"subject\":\"order-7\"");
    }

    @Test
    void aDeliveryThatFailsOnceIsRetriedWithTheSameWebhookId() {
        String type = uniqueType();
        subscribe("/flaky", type);
        receiver.thenAnswer("/flaky", 500);

        send("{\"type\": \"" + type + "\"}");

        await().atMost(DELIVERY).until(() -> receiver.received("/flaky").size() == 2);
        List<TestReceiver.Received> calls = receiver.received("/flaky");
        assertThat(calls.get(0).answeredWith()).isEqualTo(500);
        assertThat(calls.get(1).answeredWith()).isEqualTo(204);
        assertThat(calls.get(1).header("webhook-id")).isEqualTo(calls.get(0).header("webhook-id"));
    }

    @Test
    void aDeliveryThatAlwaysFailsEndsAsADeadLetterWithItsReason() {
        String type = uniqueType();
        String subscriptionId = subscribe("/always-failing", type).get("id").stringValue();
        receiver.thenAnswer("/always-failing", 503, 503, 503);

        send("{\"type\": \"" + type + "\"}");

        ConsumerRecord<String, byte[]> record = awaitDeadLetter(subscriptionId);
        DeadLetter deadLetter = new AvroDeserializer().deserialize(Topics.DLQ, record.value(), DeadLetter.class);
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.EXHAUSTED);
        assertThat(deadLetter.getTask().getAttempts()).isEqualTo(3);
        assertThat(deadLetter.getTask().getLastStatus()).isEqualTo(503);
        assertThat(header(record, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("exhausted");
        assertThat(header(record, KafkaHeaders.LAST_STATUS)).isEqualTo("503");
        assertThat(header(record, KafkaHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(java.time.Instant.parse(header(record, KafkaHeaders.LAST_ATTEMPT_AT)))
                .isAfter(java.time.Instant.parse(header(record, KafkaHeaders.FIRST_ATTEMPT_AT)));
        assertThat(receiver.received("/always-failing")).hasSize(3);
    }

    @Test
    void anEndpointThatAnswersGoneIsNotRetried() {
        String type = uniqueType();
        String subscriptionId = subscribe("/gone", type).get("id").stringValue();
        receiver.thenAnswer("/gone", 410);

        send("{\"type\": \"" + type + "\"}");

        ConsumerRecord<String, byte[]> record = awaitDeadLetter(subscriptionId);
        DeadLetter deadLetter = new AvroDeserializer().deserialize(Topics.DLQ, record.value(), DeadLetter.class);
        assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.PERMANENT_STATUS);
        assertThat(deadLetter.getTask().getAttempts()).isEqualTo(1);
        assertThat(header(record, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("permanent_status");
        assertThat(receiver.received("/gone")).hasSize(1);
    }

    @Test
    void everyAttemptIsRecordedWithWhatTheEndpointAnswered() {
        String type = uniqueType();
        String subscriptionId = subscribe("/recorded", type).get("id").stringValue();
        receiver.thenAnswer("/recorded", 502);

        send("{\"type\": \"" + type + "\"}");

        AvroDeserializer avro = new AvroDeserializer();
        Predicate<ConsumerRecord<String, byte[]>> mine =
                r -> avro.deserialize(Topics.ATTEMPTS, r.value(), DeliveryAttempt.class)
                        .getSubscriptionId()
                        .equals(subscriptionId);
        List<DeliveryAttempt> attempts = TopicRecords.readUntil(
                        settings.kafkaPort(),
                        Topics.ATTEMPTS,
                        read -> read.stream().filter(mine).count() == 2)
                .stream()
                .filter(mine)
                .map(r -> avro.deserialize(Topics.ATTEMPTS, r.value(), DeliveryAttempt.class))
                .toList();
        assertThat(attempts).extracting(DeliveryAttempt::getAttempt).containsExactly(1, 2);
        assertThat(attempts.get(0).getOutcome()).isEqualTo(AttemptOutcome.RETRYABLE);
        assertThat(attempts.get(0).getStatus()).isEqualTo(502);
        assertThat(attempts.get(0).getResponseHeaders()).containsKey("x-request-id");
        assertThat(attempts.get(0).getResponseBody()).isEqualTo("answered 502");
        assertThat(attempts.get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
        assertThat(attempts.get(1).getDeliveryId()).isEqualTo(attempts.get(0).getDeliveryId());
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String subscriptionId) {
        return TopicRecords.readUntil(
                        settings.kafkaPort(),
                        Topics.DLQ,
                        read -> read.stream().anyMatch(r -> subscriptionId.equals(r.key())))
                .stream()
                .filter(r -> subscriptionId.equals(r.key()))
                .findFirst()
                .orElseThrow();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theInspectorShowsWhatArrivedAndWhetherItsSignatureVerified() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String inspector = "http://localhost:" + standalone.inspectorPort();
        var created = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(inspector + "/bins"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode bin = JsonMapper.builder().build().readTree(created.body());
        String type = uniqueType();
        Api.Response subscribed = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + bin.get("url").stringValue() + "\", \"eventTypes\": [\"" + type
                        + "\"], \"activate\": true}");
        assertThat(subscribed.status()).isEqualTo(201);
        send("{\"type\": \"" + type + "\", \"subject\": \"seen-in-bin\"}");
        http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(bin.get("url").stringValue()))
                        .header("webhook-id", "msg_forged")
                        .header(
                                "webhook-timestamp",
                                Long.toString(java.time.Instant.now().getEpochSecond()))
                        .header("webhook-signature", "v1,Zm9yZ2Vk")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());

        List<JsonNode> requests = new ArrayList<>();
        await().atMost(DELIVERY).until(() -> {
            requests.clear();
            JsonMapper.builder()
                    .build()
                    .readTree(http.send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                    bin.get("requests").stringValue()))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body())
                    .forEach(requests::add);
            return requests.size() == 2;
        });
        JsonNode delivered = requests.stream()
                .filter(r -> r.get("body").stringValue().contains("seen-in-bin"))
                .findFirst()
                .orElseThrow();
        JsonNode forged = requests.stream()
                .filter(r -> r.get("headers").get("webhook-id").stringValue().equals("msg_forged"))
                .findFirst()
                .orElseThrow();
        assertThat(delivered.get("signature").get("verified").booleanValue()).isTrue();
        assertThat(delivered.get("signature").get("subscriptionId").stringValue())
                .isEqualTo(subscribed.body().get("id").stringValue());
        assertThat(forged.get("signature").get("verified").booleanValue()).isFalse();
        String page = http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(bin.get("page").stringValue()))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(page).contains("signature verified", "signature not verified", "seen-in-bin");
    }

    @Test
    void theDispatcherCountsDeliveriesForPrometheus() throws Exception {
        deliverSigned("/counted");
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://localhost:" + settings.dispatcherPort() + "/actuator/prometheus"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .containsPattern("campanello_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]")
                .contains("campanello_delivery_latency_seconds_bucket")
                .contains("campanello_delivery_http_duration_seconds_bucket")
                .containsPattern("campanello_dispatcher_in_flight\\{[^}]*topic=\"webhooks.deliveries\"")
                .contains("campanello_endpoint_requests_in_flight")
                .contains("campanello_endpoint_deliveries_waiting")
                .containsPattern("campanello_endpoint_circuits\\{[^}]*state=\"closed\"[^}]*} [1-9]")
                .contains("kafka_consumer_fetch_manager_records_lag_max");
    }
}
