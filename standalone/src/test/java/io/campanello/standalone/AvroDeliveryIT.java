package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.campanello.ingest.ConfluentRegistryStandIn;
import io.campanello.signature.Webhook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
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
 * An ERP that produces Avro with a schema registry library's serializer (Apicurio's, in Confluent's wire format)
 * gets signed webhooks out whose data is the record as JSON: the standalone reads the source topic with the writer
 * schema from the registry's Confluent-compatible API.
 */
class AvroDeliveryIT {

    private static final String SOURCE_TOPIC = "erp.orders.avro";
    private static final Schema ORDER = new Schema.Parser()
            .parse("{\"type\": \"record\", \"name\": \"OrderPlaced\", \"namespace\": \"com.erp\", \"fields\": ["
                    + "{\"name\": \"orderId\", \"type\": \"string\"}, {\"name\": \"eventType\", \"type\": \"string\"},"
                    + " {\"name\": \"amount\", \"type\": \"long\"}, {\"name\": \"placedAt\", \"type\": {\"type\":"
                    + " \"long\", \"logicalType\": \"timestamp-millis\"}}]}");

    @TempDir
    static Path dataDir;

    static ConfluentRegistryStandIn registry;
    static TestStandalones.Started started;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        registry = new ConfluentRegistryStandIn("erp", "registry-secret");
        started = TestStandalones.start(
                dataDir,
                List.of(
                        "--campanello.ingest.sources.erp.topic=" + SOURCE_TOPIC,
                        "--campanello.ingest.sources.erp.format=avro",
                        "--campanello.ingest.sources.erp.mapping.type=/eventType",
                        "--campanello.ingest.sources.erp.mapping.subject=/orderId",
                        "--campanello.ingest.sources.erp.mapping.time=/placedAt",
                        "--campanello.ingest.schema-registry.url=" + registry.ccompatUrl(),
                        "--campanello.ingest.schema-registry.username=erp",
                        "--campanello.ingest.schema-registry.password=registry-secret"));
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (started != null) {
            started.close();
        }
        registry.close();
    }

    @Test
    void anAvroRecordBecomesASignedWebhookWithTheRecordAsJson() {
        String type = "order.placed." + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = new Api(TestStandalones.API_KEY)
                .post(
                        "http://localhost:" + started.settings().subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url("/avro") + "\", \"eventTypes\": [\"" + type
                                + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.body().get("secret").stringValue();

        GenericRecord order = new GenericData.Record(ORDER);
        order.put("orderId", "order-7");
        order.put("eventType", type);
        order.put("amount", 15_000L);
        order.put("placedAt", Instant.parse("2026-11-28T10:00:00Z").toEpochMilli());
        try (var serializer = new AvroKafkaSerializer<GenericRecord>();
                var producer = new KafkaProducer<String, GenericRecord>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                "127.0.0.1:" + started.settings().kafkaPort()),
                        new StringSerializer(),
                        configured(serializer))) {
            producer.send(new ProducerRecord<>(SOURCE_TOPIC, "order-7", order));
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.received("/avro").size() == 1);
        TestReceiver.Received call = receiver.received("/avro").get(0);
        assertThatCode(() -> new Webhook(secret).verify(call.body(), call.headers()))
                .doesNotThrowAnyException();
        JsonNode body = JsonMapper.builder().build().readTree(call.body());
        assertThat(body.get("type").stringValue()).isEqualTo(type);
        assertThat(body.get("subject").stringValue()).isEqualTo("order-7");
        assertThat(body.get("time").stringValue()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(body.get("data").toString())
                .isEqualTo("{\"orderId\":\"order-7\",\"eventType\":\"" + type
                        + "\",\"amount\":15000,\"placedAt\":\"2026-11-28T10:00:00Z\"}");
    }

    private static AvroKafkaSerializer<GenericRecord> configured(AvroKafkaSerializer<GenericRecord> serializer) {
        serializer.configure(registry.serializerConfig(), false);
        return serializer;
    }
}
