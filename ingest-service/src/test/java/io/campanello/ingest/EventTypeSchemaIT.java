package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What a tenant's JSON Schema may and may not do to ingest: it never freezes it, never makes it call out. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.keys=acme=" + EventTypeSchemaIT.ACME + ",globex=" + EventTypeSchemaIT.GLOBEX
        })
@EmbeddedKafka(partitions = 1)
@DirtiesContext
class EventTypeSchemaIT {

    static final String ACME = "cmp_acme_test";
    static final String GLOBEX = "cmp_globex_test";

    /** Against 60 characters, the JDK's backtracking engine needs far more than 30 s for this pattern. */
    private static final String BACKTRACKING_PATTERN = "^(.*a){8}$";

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    /** One call's answer and how long it took. */
    record Timed(int status, String body, Duration took) {}

    private Mono<Timed> post(String key, String path, String body) {
        return Mono.defer(() -> {
            Instant start = Instant.now();
            return WebClient.create("http://127.0.0.1:" + port)
                    .post()
                    .uri(path)
                    .header("Authorization", "Bearer " + key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .map(text -> new Timed(
                                    response.statusCode().value(), text, Duration.between(start, Instant.now()))));
        });
    }

    private Timed call(String key, String path, String body) {
        return post(key, path, body).block(Duration.ofSeconds(60));
    }

    private void register(String key, String name, String schema) {
        Timed answer = call(key, "/v1/event-types", "{\"name\": \"" + name + "\", \"schema\": " + schema + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    private static String event(String type, String code) {
        return "{\"type\": \"" + type + "\", \"data\": {\"code\": \"" + code + "\"}}";
    }

    @Test
    void aBacktrackingPatternIsAnsweredQuicklyAndOtherTenantsAreNotHeldMeanwhile() {
        String type = "code.checked." + UUID.randomUUID().toString().substring(0, 8);
        register(
                ACME,
                type,
                "{\"type\": \"object\", \"properties\": {\"code\": {\"type\": \"string\", \"pattern\": \""
                        + BACKTRACKING_PATTERN + "\"}}}");
        String sixtyCharacters = "a".repeat(59) + "b";

        Mono<Timed> slow = post(ACME, "/v1/events", event(type, sixtyCharacters));
        Flux<Timed> others =
                Flux.range(0, 8).flatMap(i -> post(GLOBEX, "/v1/events", event("order.created", "order-" + i)));
        List<Timed> answers = Flux.merge(slow, others).collectList().block(Duration.ofSeconds(90));

        Timed checked = answers.stream()
                .filter(answer -> answer.status() != 202)
                .findFirst()
                .orElseThrow();
        assertThat(checked.status()).isEqualTo(400);
        assertThat(checked.body()).contains("\"code\":\"invalid_event\"").contains("code");
        assertThat(checked.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(answers).filteredOn(answer -> answer.status() == 202).hasSize(8);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.took()).isLessThan(Duration.ofSeconds(5)));

        Timed matching = call(ACME, "/v1/events", event(type, "a".repeat(60)));
        assertThat(matching.status()).as(matching.body()).isEqualTo(202);
    }

    @Test
    void aPatternThatCouldRunLongIsRefusedAtRegistrationNamingItsPath() {
        Timed answer = call(
                ACME,
                "/v1/event-types",
                "{\"name\": \"long.pattern\", \"schema\": {\"properties\": {\"code\": {\"pattern\": \"[a-z]{1000}\"}}}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"invalid_schema\"").contains("schema/properties/code/pattern");
    }

    @Test
    void aSchemaThatRefersToAnotherDocumentIsRefusedAndNothingIsFetched() {
        Timed answer = call(
                ACME,
                "/v1/event-types",
                "{\"name\": \"remote.ref\", \"schema\": {\"$ref\": \"https://example.com/nope.json\"}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"invalid_schema\"").contains("schema/$ref");
        assertThat(call(ACME, "/v1/events", "{\"type\": \"remote.ref\"}").status())
                .as("the type was not saved")
                .isEqualTo(202);
    }

    @Test
    void aSchemaWithAReferenceToNothingIsRefusedAtRegistration() {
        Timed answer = call(
                ACME,
                "/v1/event-types",
                "{\"name\": \"missing.ref\", \"schema\": {\"properties\": {\"code\": {\"$ref\": \"#/$defs/missing\"}}}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"invalid_schema\"").contains("#/$defs/missing");

        register(
                ACME,
                "local.ref",
                "{\"$defs\": {\"code\": {\"type\": \"string\"}}, \"properties\": {\"code\": {\"$ref\": \"#/$defs/code\"}}}");
        assertThat(call(ACME, "/v1/events", "{\"type\": \"local.ref\", \"data\": {\"code\": 12}}")
                        .status())
                .isEqualTo(400);
        assertThat(call(ACME, "/v1/events", "{\"type\": \"local.ref\", \"data\": {\"code\": \"A-12\"}}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void anEventThatLeadsItsSchemaIntoAnEndlessCycleIsRefusedWith400() {
        String type = "kind.checked." + UUID.randomUUID().toString().substring(0, 8);
        register(
                ACME,
                type,
                "{\"if\": {\"type\": \"object\", \"properties\": {\"kind\": {\"const\": \"loop\"}},"
                        + " \"required\": [\"kind\"]},"
                        + " \"then\": {\"$ref\": \"#\"}}");

        Timed looping = call(ACME, "/v1/events", "{\"type\": \"" + type + "\", \"data\": {\"kind\": \"loop\"}}");
        assertThat(looping.status()).as(looping.body()).isEqualTo(400);
        assertThat(looping.body()).contains("\"code\":\"invalid_event\"");
        assertThat(call(ACME, "/v1/events", "{\"type\": \"" + type + "\", \"data\": {\"kind\": \"plain\"}}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void anEventOfATypeWhoseStoredSchemaCannotBeUsedIsRefusedWith400() {
        String type = "stored.broken." + UUID.randomUUID().toString().substring(0, 8);
        EventType stored = EventType.newBuilder()
                .setTenant("acme")
                .setName(type)
                .setDataSchema("{\"properties\": {\"code\": {\"$ref\": \"#/$defs/missing\"}}}")
                .setCreatedAt(Instant.now())
                .build();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVENT_TYPES, "acme/" + type, stored));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(WebClient.create("http://127.0.0.1:" + port)
                                .get()
                                .uri("/v1/event-types/" + type)
                                .header("Authorization", "Bearer " + ACME)
                                .exchangeToMono(response -> Mono.just(response.statusCode()))
                                .block(Duration.ofSeconds(10)))
                        .isEqualTo(HttpStatusCode.valueOf(200)));

        Timed answer = call(ACME, "/v1/events", event(type, "A-12"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"invalid_event\"").contains(type);
    }
}
