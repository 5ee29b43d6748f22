package io.campanello.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
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
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * Replays run on a bounded pool, with a cap per tenant and one for the service; reading dead letters back shares one
 * consumer however many requests arrive at once.
 */
@EmbeddedKafka(partitions = 1)
class RetryLimitsIT {

    private static final String ADMIN_KEY = "cmp_admin_limits_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
                        "--campanello.api.admin-key=" + ADMIN_KEY,
                        "--campanello.replays.max-running-per-tenant=1",
                        "--campanello.replays.max-running=2",
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private static DeadLetter deadLetter(String tenant, String subscriptionId) {
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant(tenant)
                .setType("order.created")
                .setTime(Instant.now())
                .setReceivedAt(Instant.now())
                .build();
        return DeadLetter.newBuilder()
                .setTask(DeliveryTask.newBuilder()
                        .setDeliveryId(Ids.deliveryId(event.getId(), subscriptionId))
                        .setSubscriptionId(subscriptionId)
                        .setTenant(tenant)
                        .setEvent(event)
                        .setAttempts(1)
                        .setNotBefore(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                        .build())
                .setReason(DeadLetterReason.EXHAUSTED)
                .setDeadAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** Writes {@code count} dead letters of the tenant; their ids and event ids. */
    private Map<String, String> deadLetters(String tenant, int count) throws Exception {
        Map<String, String> written = new java.util.LinkedHashMap<>();
        String subscription = Ids.newSubscriptionId();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                DeadLetter deadLetter = deadLetter(tenant, subscription);
                var sent = producer.send(new ProducerRecord<>(
                                Topics.DLQ, subscription, new AvroSerializer().serialize(Topics.DLQ, deadLetter)))
                        .get();
                written.put(
                        sent.partition() + "-" + sent.offset(),
                        deadLetter.getTask().getEvent().getId());
            }
        }
        return written;
    }

    private HttpRequest.Builder request(String path, String tenant) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + path))
                .header("Authorization", "Bearer " + ADMIN_KEY);
        return tenant == null ? request : request.header("Campanello-Tenant", tenant);
    }

    private HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a slow replay of the tenant's dead letters (one a second). */
    private HttpResponse<String> replay(String tenant) throws Exception {
        return call(request("/v1/replays", tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ratePerSecond\": 1}")));
    }

    private String state(String replay) throws Exception {
        return JSON.readTree(call(request("/v1/replays/" + replay, null)).body())
                .path("state")
                .asString();
    }

    @Test
    void replaysBeyondTheTenantsOrTheServicesCapAreRefusedUntilOneEnds() throws Exception {
        deadLetters("acme", 20);
        deadLetters("globex", 20);

        HttpResponse<String> acme = replay("acme");
        assertThat(acme.statusCode()).as(acme.body()).isEqualTo(202);
        String acmeReplay = JSON.readTree(acme.body()).path("id").asString();

        HttpResponse<String> secondOfAcme = replay("acme");
        assertThat(secondOfAcme.statusCode()).isEqualTo(429);
        assertThat(secondOfAcme.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        JsonNode perTenant = JSON.readTree(secondOfAcme.body());
        assertThat(perTenant.path("code").asString()).isEqualTo("quota_exceeded");
        assertThat(perTenant.path("limit").asString()).isEqualTo("running_replays_per_tenant");

        assertThat(replay("globex").statusCode()).isEqualTo(202);
        HttpResponse<String> third = replay("initech");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(third.body()).path("code").asString()).isEqualTo("too_many_replays");
        assertThat(state(acmeReplay))
                .as("the refusals came while the replays ran")
                .isEqualToIgnoringCase("running");

        assertThat(call(request("/v1/replays/" + acmeReplay, null).DELETE()).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equalsIgnoreCase(state(acmeReplay)));
        assertThat(replay("acme").statusCode())
                .as("a cancelled replay frees its place")
                .isEqualTo(202);
    }

    @Test
    void concurrentReadsOfDeadLettersAllAnswerAndShareOneConsumer() throws Exception {
        Map<String, String> written = deadLetters("acme", 24);
        List<String> ids = List.copyOf(written.keySet());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> call(request("/v1/dead-letters/" + ids.get(ids.size() - 1), null))
                                .statusCode()
                        == 200);

        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (String id : ids) {
            reads.add(http.sendAsync(
                    request("/v1/dead-letters/" + id, null).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < ids.size(); i++) {
            HttpResponse<String> read = reads.get(i).get();
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).path("event").path("id").asString())
                    .isEqualTo(written.get(ids.get(i)));
        }
        String metrics = call(request("/actuator/prometheus", null)).body();
        double opened = metrics.lines()
                .filter(line -> line.startsWith("campanello_dead_letters_reader_consumers_opened_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
        assertThat(opened).as("consumers opened for %d reads", ids.size() + 1).isEqualTo(1.0);
    }
}
