package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=" + IngestIT.KEY,
            "campanello.ingest.source-topics=" + IngestIT.SOURCE_TOPIC
        })
@EmbeddedKafka(partitions = 1, topics = IngestIT.SOURCE_TOPIC)
@AutoConfigureWebTestClient
@DirtiesContext
class IngestIT {

    static final String KEY = "cmp_ingest_test";
    static final String SOURCE_TOPIC = "erp.events";

    @Autowired
    WebTestClient web;

    @Autowired
    EmbeddedKafkaBroker broker;

    private WebTestClient.ResponseSpec post(String body) {
        return web.post()
                .uri("/v1/events")
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static void assertProblem(WebTestClient.ResponseSpec response, int status, String code) {
        response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(status)
                .jsonPath("$.code")
                .isEqualTo(code)
                .jsonPath("$.detail")
                .isNotEmpty();
    }

    @Test
    void acceptsAnEventOnlyOnceItIsOnTheEventsTopic() {
        String subject = "order-" + UUID.randomUUID();
        byte[] answer = post("{\"type\": \"order.created\", \"subject\": \"" + subject
                        + "\", \"source\": \"/erp\", \"time\": \"2026-11-23T10:00:00Z\", \"region\": \"eu\","
                        + " \"data\": {\"amount\": 150}}")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.id")
                .value(id -> assertThat((String) id).startsWith("evt_"))
                .returnResult()
                .getResponseBody();
        String id = new String(answer, StandardCharsets.UTF_8).replaceAll(".*\"(evt_[0-9a-f]+)\".*", "$1");

        ConsumerRecord<String, byte[]> record =
                awaitRecord(Topics.EVENTS, r -> r.key().equals("default/" + subject));
        EventEnvelope event = new AvroDeserializer().deserialize(Topics.EVENTS, record.value(), EventEnvelope.class);
        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getTenant()).isEqualTo("default");
        assertThat(event.getType()).isEqualTo("order.created");
        assertThat(event.getSource()).isEqualTo("/erp");
        assertThat(event.getTime()).hasToString("2026-11-23T10:00:00Z");
        assertThat(event.getData()).isEqualTo("{\"amount\":150}");
        assertThat(event.getAttributes()).containsEntry("region", "eu");
    }

    @Test
    void anEventSentTwiceWithTheSameIdIsOneEvent() {
        String body = "{\"id\": \"A-" + UUID.randomUUID() + "\", \"source\": \"/erp\", \"type\": \"order.created\"}";
        String first = acceptedId(body);
        String again = acceptedId(body);
        String other = acceptedId(body.replace("/erp", "/shop"));

        assertThat(again).as("the producer's retry").isEqualTo(first);
        assertThat(other).as("the same id from another source").isNotEqualTo(first);
    }

    private String acceptedId(String body) {
        byte[] answer = post(body)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return new String(answer, StandardCharsets.UTF_8).replaceAll(".*\"(evt_[0-9a-f]+)\".*", "$1");
    }

    @Test
    void refusesMalformedJson() {
        assertProblem(post("{\"type\": "), 400, "invalid_json");
    }

    @Test
    void refusesAnEventWithoutType() {
        assertProblem(post("{\"subject\": \"order-1\"}"), 400, "invalid_event");
        assertProblem(post("{\"type\": 42}"), 400, "invalid_event");
        assertProblem(post("[1, 2]"), 400, "invalid_event");
    }

    @Test
    void refusesAnEventOver256KiB() {
        String data = "x".repeat(256 * 1024);
        assertProblem(post("{\"type\": \"big\", \"data\": \"" + data + "\"}"), 413, "payload_too_large");
    }

    @Test
    void refusesACallWithoutOrWithAWrongApiKey() {
        assertProblem(
                web.post().uri("/v1/events").bodyValue("{\"type\": \"a\"}").exchange(), 401, "unauthorized");
        assertProblem(
                web.post()
                        .uri("/v1/events")
                        .header("Authorization", "Bearer not-the-key")
                        .bodyValue("{\"type\": \"a\"}")
                        .exchange(),
                401,
                "unauthorized");
    }

    @Test
    void anUnreadableSourceRecordGoesToTheIngestDeadLetterTopicAndTheNextOneIsIngested() {
        String subject = "order-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(
                    new ProducerRecord<>(SOURCE_TOPIC, "bad-" + subject, "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    SOURCE_TOPIC, "no-type-" + subject, "{\"subject\": \"x\"}".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(SOURCE_TOPIC, "tombstone-" + subject, null));
            producer.send(new ProducerRecord<>(
                    SOURCE_TOPIC,
                    "too-large-" + subject,
                    ("{\"type\": \"big\", \"data\": \"" + "x".repeat(256 * 1024) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    SOURCE_TOPIC,
                    "good-" + subject,
                    ("{\"type\": \"order.created\", \"subject\": \"" + subject + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }

        ConsumerRecord<String, byte[]> bad =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("bad-" + subject));
        assertThat(bad.value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
        assertThat(header(bad, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("unreadable");
        assertThat(header(bad, KafkaHeaders.ERROR_MESSAGE)).startsWith("invalid_json: the body is not valid JSON");
        assertThat(header(bad, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(SOURCE_TOPIC);
        ConsumerRecord<String, byte[]> noType =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("no-type-" + subject));
        assertThat(header(noType, KafkaHeaders.ERROR_MESSAGE)).isEqualTo("invalid_event: 'type' is required");
        ConsumerRecord<String, byte[]> tombstone =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("tombstone-" + subject));
        assertThat(tombstone.value()).isNull();
        assertThat(header(tombstone, KafkaHeaders.ERROR_MESSAGE)).startsWith("invalid_event: a record without value");
        ConsumerRecord<String, byte[]> tooLarge =
                awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals("too-large-" + subject));
        assertThat(header(tooLarge, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("unreadable");
        assertThat(header(tooLarge, KafkaHeaders.ERROR_MESSAGE)).startsWith("payload_too_large:");
        awaitRecord(Topics.EVENTS, r -> r.key().equals("default/" + subject));
    }

    private ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.of(
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
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && wanted.test(r)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsOfATypeWithASchemaAreCheckedAgainstIt() {
        String type = "invoice.paid." + UUID.randomUUID().toString().substring(0, 8);
        web.post()
                .uri("/v1/event-types")
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                        "{\"name\": \"" + type + "\", \"description\": \"An invoice was paid\", \"schema\": {"
                                + "\"type\": \"object\", \"required\": [\"amount\"], \"properties\": {"
                                + "\"amount\": {\"type\": \"integer\", \"minimum\": 0}, \"currency\": {\"type\": \"string\"}}}}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo(type);
        web.get()
                .uri("/v1/event-types/" + type)
                .header("Authorization", "Bearer " + KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.schema.required[0]")
                .isEqualTo("amount");

        post("{\"type\": \"" + type + "\", \"data\": {\"amount\": 12, \"currency\": \"EUR\"}}")
                .expectStatus()
                .isAccepted();
        post("{\"type\": \"" + type + "\", \"data\": {\"amount\": \"twelve\"}}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("invalid_event")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("amount").contains(type));
        post("{\"type\": \"" + type + "\", \"data\": {\"currency\": \"EUR\"}}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("amount"));
        post("{\"type\": \"" + type + "\"}").expectStatus().isBadRequest();
    }

    @Test
    void refusesAnEventTypeWhoseSchemaIsNotAJsonSchema() {
        assertProblem(
                web.post()
                        .uri("/v1/event-types")
                        .header("Authorization", "Bearer " + KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\": \"bad.schema\", \"schema\": {\"type\": 12}}")
                        .exchange(),
                400,
                "invalid_schema");
        assertProblem(
                web.post()
                        .uri("/v1/event-types")
                        .header("Authorization", "Bearer " + KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\": \"order.*\"}")
                        .exchange(),
                400,
                "invalid_event_type");
    }

    @Test
    void publishesItsApiAsOpenApi() {
        web.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openapi")
                .value(version -> assertThat((String) version).startsWith("3."))
                .jsonPath("$.paths['/v1/events'].post")
                .exists()
                .jsonPath("$.paths['/v1/event-types'].get")
                .exists();
    }
}
