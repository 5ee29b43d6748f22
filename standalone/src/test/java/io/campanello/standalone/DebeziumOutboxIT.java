package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanello.signature.Webhook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ERP that only writes rows to its own PostgreSQL database gets signed webhooks, with real parts all the way, as
 * docs/ingest.md describes: PostgreSQL with logical decoding, Debezium's PostgreSQL connector with its outbox event
 * router in a Kafka Connect worker (a JVM of its own), the standalone reading the router's topic as a {@code
 * debezium-outbox} source, and a receiver checking each webhook's signature. Skipped, saying so, where PostgreSQL is
 * not installed ({@code .ci/run} installs it).
 */
class DebeziumOutboxIT {

    private static final String OUTBOX_TOPIC = "erp.outbox";
    private static final String CONNECTOR = "erp-outbox";
    private static final String SLOT = "campanello_outbox";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    /** The ERP's tables: its orders, and the outbox it writes an event to in the same transaction. */
    static final String SCHEMA = "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL,"
            + " total numeric(12, 2) NOT NULL);"
            + " CREATE TABLE outbox (id uuid PRIMARY KEY, aggregatetype text NOT NULL, aggregateid text NOT NULL,"
            + " type text NOT NULL, payload jsonb NOT NULL);";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path connectDir;

    static Path postgresDir;
    static PostgresCluster postgres;
    static TestStandalones.Started started;
    static ConnectWorker connect;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> bin = PostgresCluster.binaries();
        assumeTrue(
                bin.isPresent(),
                "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb, no PG_BIN): the Debezium"
                        + " end-to-end test is skipped. Install Debian's postgresql package (.ci/run does).");
        postgresDir = Files.createTempDirectory("campanello-postgres");
        postgres = PostgresCluster.start(bin.get(), postgresDir);
        postgres.sql(SCHEMA);
        started = TestStandalones.start(
                dataDir,
                List.of(
                        "--campanello.ingest.sources.erp.topic=" + OUTBOX_TOPIC,
                        "--campanello.ingest.sources.erp.format=debezium-outbox"));
        receiver = new TestReceiver();
        Path connector = connectDir.resolve(CONNECTOR + ".json");
        Files.writeString(connector, connectorJson().replace("${PG_PORT}", Integer.toString(postgres.port())));
        connect = ConnectWorker.start(connectDir, bootstrapServers(), connector, CONNECTOR);
        // The connector streams once its replication slot is in use: from then on every commit is captured.
        await().atMost(DELIVERY)
                .until(() -> postgres.sql("SELECT active FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")
                        .equals("t"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (started != null) {
            started.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (postgresDir != null) {
            try (var files = Files.walk(postgresDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void anOrderCommittedWithItsOutboxRowIsDeliveredSignedAndARolledBackOneIsNot() throws Exception {
        String secret = subscribe("/erp", "order.*");

        placeOrder(1001, "ACME", "99.50", true);
        placeOrder(1002, "Initech", "12.00", false);
        placeOrder(1003, "Globex", "7.25", true);

        await().atMost(DELIVERY).until(() -> receiver.received("/erp").size() >= 2);
        assertThat(sourceKeys())
                .as("what Debezium wrote: committed orders only")
                .containsExactlyInAnyOrder("order-1001", "order-1003");
        List<String> subjects = new ArrayList<>();
        for (TestReceiver.Received call : receiver.received("/erp")) {
            assertThatCode(() -> new Webhook(secret).verify(call.body(), call.headers()))
                    .doesNotThrowAnyException();
            JsonNode event = JsonMapper.builder().build().readTree(call.body());
            assertThat(event.get("type").stringValue()).isEqualTo("order.created");
            subjects.add(event.get("subject").stringValue());
            if (event.get("subject").stringValue().equals("order-1001")) {
                assertThat(event.get("data").get("customer").stringValue()).isEqualTo("ACME");
                assertThat(event.get("data").get("total").decimalValue()).isEqualByComparingTo("99.50");
            }
        }
        assertThat(subjects).containsExactlyInAnyOrder("order-1001", "order-1003");
    }

    /** The ERP's own transaction: the order and its outbox event, committed or rolled back together. */
    private static void placeOrder(long id, String customer, String total, boolean commit) throws Exception {
        postgres.sql("BEGIN;"
                + " INSERT INTO orders (id, customer, total) VALUES (" + id + ", '" + customer + "', " + total + ");"
                + " INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(),"
                + " 'order', 'order-" + id + "', 'order.created', jsonb_build_object('orderId', " + id
                + ", 'customer', '" + customer + "', 'total', " + total + "));"
                + (commit ? " COMMIT;" : " ROLLBACK;"));
    }

    private static String subscribe(String path, String eventType) {
        Api.Response created = new Api(TestStandalones.API_KEY)
                .post(
                        "http://localhost:" + started.settings().subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + eventType
                                + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("secret").stringValue();
    }

    /** The keys of every record on the outbox topic, in order. */
    private static List<String> sourceKeys() {
        List<String> keys = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(OUTBOX_TOPIC));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                var assigned = consumer.assignment();
                return !assigned.isEmpty()
                        && consumer.endOffsets(assigned).entrySet().stream()
                                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return keys;
    }

    private static String bootstrapServers() {
        return "127.0.0.1:" + started.settings().kafkaPort();
    }

    private static String connectorJson() throws IOException {
        try (InputStream json = DebeziumOutboxIT.class.getResourceAsStream("/debezium/erp-outbox-connector.json")) {
            return new String(json.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
