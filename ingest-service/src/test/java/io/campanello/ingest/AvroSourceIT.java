package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A source of format {@code avro}: a producer with a schema registry library's serializer (Apicurio's, in
 * Confluent's wire format) writes records, and each becomes an event whose data is the record as JSON, its writer
 * schema read once over HTTPS with Basic authentication from the registry's Confluent-compatible API. Records that
 * are not Avro of a known schema are dead letters with the reason; while the registry is down, records wait and are
 * ingested when it is back, none dead-lettered.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=cmp_avro_test",
            "campanello.ingest.sources.shop.topic=" + AvroSourceIT.TOPIC,
            "campanello.ingest.sources.shop.format=avro",
            "campanello.ingest.sources.shop.tenant=shop",
            "campanello.ingest.sources.shop.mapping.subject=/orderId",
            "campanello.ingest.sources.shop.mapping.time=/placedAt",
            "campanello.ingest.schema-registry.username=campanello",
            "campanello.ingest.schema-registry.password=s3cret",
            "campanello.ingest.schema-registry.ssl-bundle=registry"
        })
@EmbeddedKafka(
        partitions = 1,
        topics = {AvroSourceIT.TOPIC})
@DirtiesContext
class AvroSourceIT {

    static final String TOPIC = "shop.orders.avro";
    private static final String PASSWORD = "changeit";

    static final Path KEYS;
    static final ConfluentRegistryStandIn REGISTRY;

    static {
        try {
            KEYS = Files.createTempDirectory("avro-source-it");
            makeCertificate(KEYS);
            REGISTRY = new ConfluentRegistryStandIn("campanello", "s3cret", KEYS.resolve("server.p12"), PASSWORD);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) {
        properties.add("campanello.ingest.schema-registry.url", REGISTRY::ccompatHttpsUrl);
        properties.add("spring.ssl.bundle.pem.registry.truststore.certificate", () -> "file:" + KEYS.resolve("ca.pem"));
    }

    @AfterAll
    static void stopRegistry() {
        REGISTRY.close();
    }

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void recordsWrittenWithTheRegistrySerializerBecomeEventsWithTheRecordAsJson() {
        String run = UUID.randomUUID().toString();
        byte[] first = serialize(ShopOrders.order("A-" + run, "12.50", "note"));
        byte[] second = serialize(ShopOrders.order("B-" + run, "3.00", null));
        send("a", first);
        send("b", second);

        EventEnvelope event = awaitEvent("shop/A-" + run);
        assertThat(event.getTenant()).isEqualTo("shop");
        assertThat(event.getType()).as("the schema's full name by default").isEqualTo("com.shop.OrderPlaced");
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-28T10:15:30.250Z"));
        assertThat(event.getData())
                .isEqualTo(
                        "{\"orderId\":\"A-" + run + "\",\"total\":\"12.50\",\"placedAt\":\"2026-11-28T10:15:30.250Z\","
                                + "\"status\":\"PAID\",\"note\":\"note\",\"lines\":[{\"sku\":\"bell\",\"quantity\":2}],"
                                + "\"tags\":{\"channel\":\"web\"}}");
        assertThat(awaitEvent("shop/B-" + run).getData()).contains("\"note\":null", "\"total\":\"3.00\"");
        int id = schemaId(first);
        assertThat(REGISTRY.schemaRequests().stream().filter(asked -> asked == id))
                .as("the schema is read once and kept")
                .hasSize(1);
    }

    @Test
    void recordsThatAreNotAvroOfAKnownSchemaAreDeadLettersWithTheirReasonAndTheNextIsIngested() {
        String run = UUID.randomUUID().toString();
        byte[] good = serialize(ShopOrders.order("G-" + run, "1.00", null));
        int id = schemaId(good);
        send("json-" + run, "{\"orderId\": 1}".getBytes(StandardCharsets.UTF_8));
        send("unknown-" + run, withSchemaId(good, 999_999));
        send("truncated-" + run, Arrays.copyOf(good, 12));
        send("good-" + run, good);

        awaitEvent("shop/G-" + run);
        assertThat(deadLetterReason("json-" + run))
                .isEqualTo("invalid_avro: the value is not in the Confluent wire format (magic byte 0 and a 4-byte"
                        + " schema id first)");
        assertThat(deadLetterReason("unknown-" + run))
                .isEqualTo("unknown_schema: the schema registry has no schema with id 999999");
        assertThat(deadLetterReason("truncated-" + run))
                .isEqualTo("invalid_avro: the value is not a datum of schema " + id + " (EOFException)");
    }

    @Test
    void whileTheRegistryIsDownRecordsWaitAndAreIngestedWhenItIsBackNoneDeadLettered() {
        String run = UUID.randomUUID().toString();
        Schema other = new Schema.Parser()
                .parse("{\"type\": \"record\", \"name\": \"OrderCancelled\", \"namespace\": \"com.shop\", \"fields\":"
                        + " [{\"name\": \"orderId\", \"type\": \"string\"}, {\"name\": \"placedAt\", \"type\":"
                        + " {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}}, {\"name\": \"run\", \"type\":"
                        + " \"string\"}]}");
        GenericRecord cancelled = new GenericData.Record(other);
        cancelled.put("orderId", "C-" + run);
        cancelled.put("placedAt", Instant.parse("2026-11-28T11:00:00Z").toEpochMilli());
        cancelled.put("run", run);
        byte[] value = serialize(cancelled);
        int id = schemaId(value);

        REGISTRY.down(true);
        try {
            send("cancelled-" + run, value);
            await().atMost(Duration.ofSeconds(30))
                    .alias("the record is read again after the registry failed to answer")
                    .until(() -> REGISTRY.schemaRequests().stream()
                                    .filter(asked -> asked == id)
                                    .count()
                            >= 2);
        } finally {
            REGISTRY.down(false);
        }

        EventEnvelope event = awaitEvent("shop/C-" + run);
        assertThat(event.getType()).isEqualTo("com.shop.OrderCancelled");
        assertThat(event.getData()).contains("\"run\":\"" + run + "\"");
        assertThat(deadLetterKeys()).doesNotContain("cancelled-" + run);
    }

    /** Serializes as a producer configured for Apicurio Registry in Confluent's wire format does. */
    private static byte[] serialize(GenericRecord record) {
        try (var serializer = new AvroKafkaSerializer<GenericRecord>()) {
            serializer.configure(REGISTRY.serializerConfig(), false);
            return serializer.serialize(TOPIC, record);
        }
    }

    private static int schemaId(byte[] value) {
        assertThat(value[0]).as("Confluent's magic byte").isZero();
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    private static byte[] withSchemaId(byte[] value, int id) {
        byte[] copy = value.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    private void send(String key, byte[] value) {
        try (var producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value));
        }
    }

    private EventEnvelope awaitEvent(String key) {
        ConsumerRecord<String, byte[]> record =
                awaitRecord(Topics.EVENTS, r -> r.key().equals(key));
        return new AvroDeserializer().deserialize(Topics.EVENTS, record.value(), EventEnvelope.class);
    }

    private String deadLetterReason(String key) {
        return header(awaitRecord(Topics.INGEST_DLQ, r -> r.key().equals(key)), KafkaHeaders.ERROR_MESSAGE);
    }

    /** The keys of every dead letter written so far (read up to the end of the topic). */
    private List<String> deadLetterKeys() {
        List<String> keys = new ArrayList<>();
        try (var consumer = consumer()) {
            var partitions = consumer.partitionsFor(Topics.INGEST_DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return keys;
    }

    private ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
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

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A self-signed certificate for localhost, made with the JDK's keytool, and its PEM. */
    private static void makeCertificate(Path keys) throws Exception {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keys.resolve("server.p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keys.resolve("server.p12").toString(),
                "-storepass",
                PASSWORD,
                "-file",
                keys.resolve("ca.pem").toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command[1] + " failed: " + output);
        }
    }
}
