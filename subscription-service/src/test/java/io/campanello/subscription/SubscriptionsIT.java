package io.campanello.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.urlpolicy.UrlPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

/** The subscription service as it runs: its own process state is only a copy of the compacted topic. */
@EmbeddedKafka(partitions = 1)
class SubscriptionsIT {

    private static final String KEY = "cmp_subscriptions_test";
    private static final String OTHER_TENANT_KEY = "cmp_subscriptions_other";
    private static final String SECRETS_KEY = SecretCipher.generateKey();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext service;
    private EmbeddedKafkaBroker broker;
    /** Holds the resolver's answer for slow.example until the test ends. */
    private final CountDownLatch slowDns = new CountDownLatch(1);

    private final AtomicInteger slowLookups = new AtomicInteger();

    /** A DNS with a slow name, an internal name and a name that does not exist; IP literals never reach it. */
    private final UrlPolicy.HostResolver dns = host -> {
        switch (host) {
            case "slow.example" -> {
                slowLookups.incrementAndGet();
                try {
                    slowDns.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(InetAddress.getByName("93.184.215.14"));
            }
            case "internal.example" -> {
                return List.of(InetAddress.getByName("10.20.30.40"));
            }
            default -> throw new UnknownHostException(host);
        }
    };

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        service = startService();
    }

    @AfterEach
    void stop() {
        slowDns.countDown();
        service.close();
    }

    private ConfigurableApplicationContext startService() {
        return SubscriptionApplication.application()
                .initializers(context -> context.getBeanFactory().registerSingleton("testDns", dns))
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.api.key=" + KEY,
                        "--campanello.api.keys=other=" + OTHER_TENANT_KEY,
                        "--campanello.secrets.key=" + SECRETS_KEY,
                        "--campanello.matcher.state-dir=target/matcher-" + UUID.randomUUID(),
                        "--spring.main.banner-mode=off");
    }

    private String base() {
        return "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + "/v1/subscriptions";
    }

    private record Answer(int status, JsonNode body, String contentType, String etag) {}

    private Answer call(HttpRequest.Builder request) throws IOException, InterruptedException {
        return answer(http.send(
                request.header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(
                response.statusCode(),
                response.body().isEmpty() ? null : JSON.readTree(response.body()),
                response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("etag").orElse(null));
    }

    private HttpRequest.Builder creation(String json) {
        return HttpRequest.newBuilder(URI.create(base()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private Answer create(String json) throws IOException, InterruptedException {
        return call(creation(json));
    }

    private Answer patch(String id, String json) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base() + "/" + id))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer get(String id) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base() + "/" + id)).GET());
    }

    @Test
    void aSubscriptionSurvivesARestartOfTheService() throws Exception {
        Answer created = create("{\"url\": \"https://93.184.215.14/orders\", \"eventTypes\": [\"order.*\"]}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").stringValue();
        assertThat(created.body().get("secret").stringValue()).startsWith("whsec_");

        service.close();
        service = startService();

        Answer read = get(id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("url").stringValue()).isEqualTo("https://93.184.215.14/orders");
        assertThat(read.body().get("eventTypes").get(0).stringValue()).isEqualTo("order.*");
        assertThat(read.body().has("secret"))
                .as("the secret is shown only at creation")
                .isFalse();
        assertThat(call(HttpRequest.newBuilder(URI.create(base())).GET()).body().findValuesAsString("id"))
                .contains(id);
    }

    @Test
    void theMatcherWritesOneTaskPerMatchingSubscriptionKeyedBySubscription() throws Exception {
        String type = "invoice." + UUID.randomUUID().toString().substring(0, 8);
        String exact = create("{\"url\": \"https://93.184.215.14/a\", \"eventTypes\": [\"" + type
                        + ".paid\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        String wildcard = create("{\"url\": \"https://93.184.215.14/b\", \"eventTypes\": [\"" + type
                        + ".*\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        String other = create("{\"url\": \"https://93.184.215.14/c\", \"eventTypes\": [\"" + type
                        + ".voided\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant("default")
                .setType(type + ".paid")
                .setTime(Instant.now())
                .setReceivedAt(Instant.now())
                .build();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, "default/" + event.getId(), event));
        }

        List<DeliveryTask> tasks = new ArrayList<>();
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
            AvroDeserializer avro = new AvroDeserializer();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    DeliveryTask task = avro.deserialize(Topics.DELIVERIES, r.value(), DeliveryTask.class);
                    assertThat(r.key()).isEqualTo(task.getSubscriptionId());
                    if (task.getEvent().getId().equals(event.getId())) {
                        tasks.add(task);
                    }
                });
                return tasks.size() >= 2;
            });
        }
        assertThat(tasks).extracting(DeliveryTask::getSubscriptionId).containsExactlyInAnyOrder(exact, wildcard);
        assertThat(tasks).extracting(DeliveryTask::getSubscriptionId).doesNotContain(other);
        assertThat(tasks)
                .allSatisfy(task -> assertThat(task.getDeliveryId())
                        .isEqualTo(Ids.deliveryId(event.getId(), task.getSubscriptionId())));
    }

    @Test
    void refusesSubscriptionsThatCannotBeDelivered() throws Exception {
        for (String body : List.of(
                "{\"eventTypes\": [\"order.created\"]}",
                "{\"url\": \"\", \"eventTypes\": [\"order.created\"]}",
                "{\"url\": \"ftp://93.184.215.14/in\", \"eventTypes\": [\"order.created\"]}",
                "{\"url\": \"not a url\", \"eventTypes\": [\"order.created\"]}",
                "{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": []}",
                "{\"url\": \"https://93.184.215.14/hooks\"}",
                "{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": [\"order.*.created\"]}",
                "{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": [\"a\"],"
                        + " \"headers\": {\"X-Team\": \"a\\r\\nX-Injected: 1\"}}",
                "{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": [\"a\"],"
                        + " \"headers\": {\"X-Team\": \" leading space\"}}",
                "{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": [\"a\"],"
                        + " \"headers\": {\"X-Team\": \"caf\u00e9\"}}")) {
            Answer refused = create(body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).as(body).startsWith("application/problem+json");
            assertThat(refused.body().get("code").stringValue()).as(body).isEqualTo("invalid_subscription");
        }
        Answer malformed = create("{\"url\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("code").stringValue()).isEqualTo("invalid_request");
    }

    @Test
    void oddPathsAreRefusedWithAProblemAndNeverAStackTrace() throws Exception {
        for (String path : List.of(
                "/v1/%2e%2e/",
                "//v1/subscriptions",
                "/v1/subscriptions/..;/",
                "/v1/subscriptions/a%2Fb",
                "/v1/subscriptions/%2e%2e/%2e%2e/actuator/health",
                "/v1/./subscriptions",
                "/v1/subscriptions/a%00b",
                "/v1/subscriptions/%c3%28")) {
            String answer = rawGet(path, true);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400");
            assertThat(answer.toLowerCase(java.util.Locale.ROOT))
                    .as(path)
                    .contains("content-type: application/problem+json")
                    .contains("\"code\":\"invalid_path\"")
                    .doesNotContain("exception", "\tat ", "trace");
        }
        assertThat(rawGet("/v1/subscriptions/%zz", true))
                .as("a malformed escape: refused by the HTTP server itself, without a body")
                .startsWith("HTTP/1.1 400")
                .doesNotContainIgnoringCase("exception");
        assertThat(rawGet("/%761/subscriptions", false))
                .as("an encoded path is checked once decoded: no key, no subscriptions")
                .startsWith("HTTP/1.1 401");
        assertThat(rawGet("/v1/subscriptions", true)).startsWith("HTTP/1.1 200");
    }

    /** A GET of a path exactly as written, on a socket: HTTP clients would normalise it first. */
    private String rawGet(String path, boolean withKey) throws IOException {
        int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (withKey ? "Authorization: Bearer " + KEY + "\r\n" : "") + "\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSubscriptionLimitsTheConcurrencyAndRateOfCallsToItsEndpoint() throws Exception {
        Answer created = create("{\"url\": \"https://93.184.215.14/slow\", \"eventTypes\": [\"order.*\"],"
                + " \"maxConcurrency\": 4, \"rateLimit\": 20}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").stringValue();
        assertThat(created.body().get("maxConcurrency").intValue()).isEqualTo(4);
        assertThat(created.body().get("rateLimit").intValue()).isEqualTo(20);

        Answer patched = patch(id, "{\"rateLimit\": 50}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("revision").intValue()).isEqualTo(2);
        Answer read = get(id);
        assertThat(read.body().get("rateLimit").intValue()).isEqualTo(50);
        assertThat(read.body().get("maxConcurrency").intValue())
                .as("a patch keeps what it does not name")
                .isEqualTo(4);

        for (String body : List.of("{\"maxConcurrency\": 0}", "{\"maxConcurrency\": 1001}", "{\"rateLimit\": 10001}")) {
            Answer refused = patch(id, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).as(body).startsWith("application/problem+json");
            assertThat(refused.body().get("code").stringValue()).as(body).isEqualTo("invalid_subscription");
        }
        Answer refusedAtCreation =
                create("{\"url\": \"https://93.184.215.14/a\", \"eventTypes\": [\"a.b\"], \"rateLimit\": 0}");
        assertThat(refusedAtCreation.status()).isEqualTo(400);
        assertThat(refusedAtCreation.body().get("detail").stringValue())
                .isEqualTo("'rateLimit' must be between 1 and 10000");
        assertThat(get(id).body().get("revision").intValue())
                .as("a refused patch changes nothing")
                .isEqualTo(2);

        Answer unlimited = create("{\"url\": \"https://93.184.215.14/b\", \"eventTypes\": [\"a.b\"]}");
        assertThat(unlimited.body().has("maxConcurrency")).isFalse();
        assertThat(unlimited.body().has("rateLimit")).isFalse();
    }

    @Test
    void anUnknownOrDeletedSubscriptionIsNotFound() throws Exception {
        Answer unknown = get(Ids.newSubscriptionId());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("code").stringValue()).isEqualTo("subscription_not_found");

        String id = create("{\"url\": \"https://93.184.215.14/hooks\", \"eventTypes\": [\"a.b\"]}")
                .body()
                .get("id")
                .stringValue();
        Answer deleted =
                call(HttpRequest.newBuilder(URI.create(base() + "/" + id)).DELETE());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(get(id).status()).isEqualTo(404);

        service.close();
        service = startService();
        assertThat(get(id).status())
                .as("the tombstone is the source of truth too")
                .isEqualTo(404);
    }

    @Test
    void aSlowResolverHoldsUpNeitherTheApiNorOtherTenants() throws Exception {
        String slowUrl = "{\"url\": \"https://slow.example/hooks\", \"eventTypes\": [\"a.b\"]}";
        String otherUrl = "{\"url\": \"https://93.184.215.14/other\", \"eventTypes\": [\"a.b\"]}";
        HttpRequest.Builder otherTenant = creation(otherUrl).header("Authorization", "Bearer " + OTHER_TENANT_KEY);
        assertThat(http.send(otherTenant.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("warmed up")
                .isEqualTo(201);
        // At least as many slow requests as the HTTP server has event-loop threads: resolved there, they stall all.
        int slow = Math.max(4, Runtime.getRuntime().availableProcessors());
        List<CompletableFuture<HttpResponse<String>>> slowOnes = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            slowOnes.add(http.sendAsync(
                    creation(slowUrl).header("Authorization", "Bearer " + KEY).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slowLookups.get()
                                + slowOnes.stream()
                                        .filter(CompletableFuture::isDone)
                                        .count()
                        >= slow);

        HttpResponse<String> other =
                http.send(otherTenant.timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(other.statusCode())
                .as("answered while the slow name is still resolving")
                .isEqualTo(201);
        assertThat(slowDns.getCount()).isEqualTo(1);
        List<Answer> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : slowOnes) {
            answers.add(answer(answer.get(30, TimeUnit.SECONDS)));
        }
        assertThat(answers)
                .as("each is refused: not checked in time, or too many of the tenant's checks running")
                .allSatisfy(answer -> assertThat(answer.body().get("code").stringValue())
                        .isIn("url_not_allowed", "too_many_url_checks"));
        assertThat(answers)
                .filteredOn(answer -> answer.status() == 400)
                .isNotEmpty()
                .allSatisfy(answer ->
                        assertThat(answer.body().get("detail").stringValue()).contains("could not be checked in time"));
        assertThat(answers)
                .filteredOn(answer -> answer.status() != 400)
                .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(429));
    }

    @Test
    void aHostThatDoesNotResolveAndOneThatResolvesInsideGetTheSameAnswer() throws Exception {
        Answer nowhere = create("{\"url\": \"https://nowhere.example/hooks\", \"eventTypes\": [\"a.b\"]}");
        Answer internal = create("{\"url\": \"https://internal.example/hooks\", \"eventTypes\": [\"a.b\"]}");

        assertThat(nowhere.status()).isEqualTo(400);
        assertThat(nowhere.body().get("code").stringValue()).isEqualTo("url_not_allowed");
        assertThat(withoutInstance(internal.body()))
                .as("nothing tells a tenant which internal names exist")
                .isEqualTo(withoutInstance(nowhere.body()));
        assertThat(internal.status()).isEqualTo(nowhere.status());
    }

    private static JsonNode withoutInstance(JsonNode problem) {
        tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) problem.deepCopy();
        copy.remove(List.of("instance", "traceId", "requestId"));
        return copy;
    }

    @Test
    void aChangeNamingAnOlderRevisionIsRefusedAndChangesNothing() throws Exception {
        Answer created = create("{\"url\": \"https://93.184.215.14/rev\", \"eventTypes\": [\"a.b\"]}");
        String id = created.body().get("id").stringValue();
        assertThat(created.etag()).isEqualTo("\"1\"");

        Answer first = call(patchWith(id, "\"1\"", "{\"rateLimit\": 5}"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.etag()).isEqualTo("\"2\"");

        Answer stale = call(patchWith(id, "\"1\"", "{\"rateLimit\": 7}"));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).startsWith("application/problem+json");
        assertThat(stale.body().get("code").stringValue()).isEqualTo("revision_mismatch");
        Answer read = get(id);
        assertThat(read.body().get("rateLimit").intValue()).isEqualTo(5);
        assertThat(read.etag()).isEqualTo("\"2\"");

        Answer staleRotation = call(rotation(id).header("If-Match", "\"1\""));
        assertThat(staleRotation.status()).isEqualTo(412);
        assertThat(staleRotation.body().get("code").stringValue()).isEqualTo("revision_mismatch");
        Answer rotated = call(rotation(id).header("If-Match", "\"2\""));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.etag()).isEqualTo("\"3\"");

        Answer unconditional = patch(id, "{\"rateLimit\": 9}");
        assertThat(unconditional.status())
                .as("without If-Match the last writer wins")
                .isEqualTo(200);
        assertThat(unconditional.body().get("revision").intValue()).isEqualTo(4);
    }

    private HttpRequest.Builder patchWith(String id, String ifMatch, String json) {
        return HttpRequest.newBuilder(URI.create(base() + "/" + id))
                .header("Content-Type", "application/json")
                .header("If-Match", ifMatch)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder rotation(String id) {
        return HttpRequest.newBuilder(URI.create(base() + "/" + id + "/secret/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void customHeaderValuesAreSealedOnTheTopicAndMaskedInEveryAnswer() throws Exception {
        Answer created = create("{\"url\": \"https://93.184.215.14/sealed\", \"eventTypes\": [\"a.b\"],"
                + " \"headers\": {\"Authorization\": \"Bearer receiver-token-4711\", \"X-Team\": \"team-ops-value\"}}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").stringValue();
        Answer patched = patch(id, "{\"headers\": {\"Authorization\": \"Bearer receiver-token-4712\"}}");

        for (JsonNode shown : List.of(
                created.body(),
                patched.body(),
                get(id).body(),
                call(HttpRequest.newBuilder(URI.create(base())).GET()).body())) {
            assertThat(shown.toString()).doesNotContain("receiver-token", "team-ops-value");
        }
        assertThat(created.body().get("headers").get("authorization").stringValue())
                .isEqualTo("••••");
        assertThat(created.body().get("headers").get("x-team").stringValue()).isEqualTo("••••");
        assertThat(get(id).body().get("headers").get("authorization").stringValue())
                .isEqualTo("••••");

        List<String> records = new ArrayList<>();
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
            consumer.subscribe(List.of(Topics.SUBSCRIPTIONS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (id.equals(r.key()) && r.value() != null) {
                        records.add(new String(r.value(), StandardCharsets.ISO_8859_1));
                    }
                });
                return records.size() >= 2;
            });
        }
        assertThat(records)
                .allSatisfy(record -> assertThat(record)
                        .contains("authorization")
                        .doesNotContain("receiver-token", "Bearer", "team-ops-value"));
    }
}
