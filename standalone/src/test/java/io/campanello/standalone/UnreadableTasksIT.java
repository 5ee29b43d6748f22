package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever lands on a topic the dispatcher reads — a tombstone, random bytes, an Avro record of a schema it does not
 * know — is set aside (a tombstone skipped, the rest dead-lettered with the reason in headers), counted, and the
 * tasks after it are delivered and committed past it; when Kafka refuses the dead letter for a while, the record is
 * tried again, never skipped and never the end of the consumer.
 */
class UnreadableTasksIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;
    private static final String DISPATCHER_GROUP = "campanello-dispatcher";
    private static final String PARKING_GROUP = "campanello-parking";

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir, List.of("--campanello.kafka.retry-delays=1s,1s", TestStandalones.NO_CIRCUIT)));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        receiver.close();
        standalone.close();
    }

    @Test
    void freshDeliveriesAfterUnreadableRecordsAreDelivered() throws Exception {
        String path = "/fresh-after-junk";
        Subscribed subscribed = subscribe(path);
        Map<TopicPartition, Long> junk = writeJunk(Topics.DELIVERIES);

        send(subscribed.type());

        await().atMost(WAIT).until(() -> receiver.received(path).size() == 1);
        assertSetAside(Topics.DELIVERIES, DISPATCHER_GROUP, junk);
    }

    @Test
    void dueRetriesAfterUnreadableRecordsAreDelivered() throws Exception {
        String path = "/retry-after-junk";
        Subscribed subscribed = subscribe(path);
        Map<TopicPartition, Long> junk = writeJunk(Topics.REDELIVERIES);
        receiver.on(path, 500, Map.of());

        send(subscribed.type());
        await().atMost(WAIT).until(() -> !receiver.received(path).isEmpty());
        receiver.on(path, 204, Map.of());

        await().atMost(WAIT).until(() -> receiver.received(path).stream().anyMatch(call -> call.answeredWith() == 204));
        assertSetAside(Topics.REDELIVERIES, DISPATCHER_GROUP, junk);
    }

    @Test
    void parkedDeliveriesAfterUnreadableRecordsAreDelivered() throws Exception {
        String path = "/parked-after-junk";
        Subscribed subscribed = subscribe(path);
        String id = subscribed.id();
        assertThat(api.post(subscriptions() + "/" + id + "/pause", "")
                        .body()
                        .get("status")
                        .stringValue())
                .isEqualTo("PAUSED");
        Map<TopicPartition, Long> junk = writeJunk(Topics.PARKED);

        send(subscribed.type());
        TopicRecords.readUntil(
                settings.kafkaPort(), Topics.PARKED, read -> read.stream().anyMatch(record -> id.equals(record.key())));
        assertThat(api.post(subscriptions() + "/" + id + "/resume", "")
                        .body()
                        .get("status")
                        .stringValue())
                .isEqualTo("ACTIVE");

        await().atMost(WAIT).until(() -> receiver.received(path).size() == 1);
        assertSetAside(Topics.PARKED, PARKING_GROUP, junk);
    }

    @Test
    void anUnreadableRecordWhoseDeadLetterKafkaRefusesIsTriedAgainNotSkipped() throws Exception {
        String path = "/while-dlq-refuses";
        Subscribed subscribed = subscribe(path);
        Map<TopicPartition, Long> undecodable;
        setDeadLetterTopicMaxMessageBytes("64");
        try {
            undecodable = writeRandomBytes(Topics.DELIVERIES);

            send(subscribed.type());

            await().atMost(WAIT).until(() -> receiver.received(path).size() == 1);
            assertThat(committed(DISPATCHER_GROUP, undecodable))
                    .as("the consumer goes on reading, and commits nothing past a record it could not set aside")
                    .allSatisfy(
                            (partition, offset) -> assertThat(offset).isLessThanOrEqualTo(undecodable.get(partition)));
        } finally {
            setDeadLetterTopicMaxMessageBytes(null);
        }

        List<ConsumerRecord<String, byte[]>> deadLetters = deadLettersOf(Topics.DELIVERIES, undecodable);
        assertThat(deadLetters).hasSize(PARTITIONS);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(committed(DISPATCHER_GROUP, undecodable))
                        .allSatisfy(
                                (partition, offset) -> assertThat(offset).isGreaterThan(undecodable.get(partition))));
    }

    /**
     * Every unreadable record is on the dead-letter topic with its reason, every tombstone was skipped, both are
     * counted, and the consumer group committed past all of them.
     */
    private static void assertSetAside(String topic, String group, Map<TopicPartition, Long> lastJunk)
            throws Exception {
        Map<TopicPartition, Long> randomBytes = new HashMap<>();
        lastJunk.forEach((partition, last) -> randomBytes.put(partition, last - 1));
        List<ConsumerRecord<String, byte[]>> deadLetters = deadLettersOf(topic, randomBytes);
        deadLetters.addAll(deadLettersOf(topic, lastJunk));
        assertThat(deadLetters).hasSize(2 * PARTITIONS).allSatisfy(deadLetter -> {
            assertThat(header(deadLetter, KafkaHeaders.DEAD_LETTER_REASON)).isEqualTo("unreadable");
            assertThat(header(deadLetter, KafkaHeaders.ERROR_MESSAGE)).isNotBlank();
        });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(committed(group, lastJunk))
                        .as("committed past the unreadable records")
                        .allSatisfy((partition, offset) -> assertThat(offset).isGreaterThan(lastJunk.get(partition))));
        String metrics = metrics();
        assertThat(unreadableCount(metrics, topic, "tombstone")).isEqualTo(PARTITIONS);
        assertThat(unreadableCount(metrics, topic, "undecodable")).isEqualTo(2 * PARTITIONS);
    }

    /**
     * On each partition: a tombstone, random bytes and a record in Campanello's encoding with a schema nobody knows;
     * the offsets of the last ones.
     */
    private static Map<TopicPartition, Long> writeJunk(String topic) throws Exception {
        byte[] unknownSchema = new byte[20];
        unknownSchema[0] = (byte) 0xC3;
        unknownSchema[1] = (byte) 0x01;
        for (int i = 2; i < unknownSchema.length; i++) {
            unknownSchema[i] = (byte) (0x40 + i);
        }
        Map<TopicPartition, Long> last = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(topic, partition, "tombstone", null));
                producer.send(
                        new ProducerRecord<>(topic, partition, "junk", "not a task".getBytes(StandardCharsets.UTF_8)));
                long offset = producer.send(new ProducerRecord<>(topic, partition, "unknown-schema", unknownSchema))
                        .get()
                        .offset();
                last.put(new TopicPartition(topic, partition), offset);
            }
        }
        return last;
    }

    private static Map<TopicPartition, Long> writeRandomBytes(String topic) throws Exception {
        Map<TopicPartition, Long> written = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                long offset = producer.send(new ProducerRecord<>(
                                topic,
                                partition,
                                "junk",
                                UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)))
                        .get()
                        .offset();
                written.put(new TopicPartition(topic, partition), offset);
            }
        }
        return written;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The dead letters of these records (by original topic, partition and offset). */
    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String topic, Map<TopicPartition, Long> records) {
        Set<String> wanted = records.entrySet().stream()
                .map(entry -> entry.getKey().partition() + "@" + entry.getValue())
                .collect(Collectors.toSet());
        List<ConsumerRecord<String, byte[]>> read = TopicRecords.readUntil(
                settings.kafkaPort(),
                Topics.DLQ,
                all -> all.stream()
                                .filter(record -> isDeadLetterOf(record, topic, wanted))
                                .count()
                        >= wanted.size());
        return read.stream()
                .filter(record -> isDeadLetterOf(record, topic, wanted))
                .collect(Collectors.toList());
    }

    private static boolean isDeadLetterOf(ConsumerRecord<String, byte[]> record, String topic, Set<String> wanted) {
        return topic.equals(header(record, KafkaHeaders.ORIGINAL_TOPIC))
                && wanted.contains(header(record, KafkaHeaders.ORIGINAL_PARTITION) + "@"
                        + header(record, KafkaHeaders.ORIGINAL_OFFSET));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, Long> committed(String group, Map<TopicPartition, Long> partitions)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (TopicPartition partition : partitions.keySet()) {
            OffsetAndMetadata offset = all.get(partition);
            committed.put(partition, offset == null ? -1 : offset.offset());
        }
        return committed;
    }

    /** Sets (or, with null, removes) the dead-letter topic's largest record batch. */
    private static void setDeadLetterTopicMaxMessageBytes(String bytes) throws Exception {
        ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DLQ);
        AlterConfigOp op = bytes == null
                ? new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(dlq, List.of(op))).all().get();
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + settings.dispatcherPort() + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int unreadableCount(String metrics, String topic, String kind) {
        Matcher matcher = Pattern.compile("campanello_dispatcher_records_unreadable_total\\{(?=[^}]*kind=\"" + kind
                        + "\")(?=[^}]*topic=\"" + Pattern.quote(topic) + "\")[^}]*} ([0-9.]+)")
                .matcher(metrics);
        return matcher.find() ? (int) Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String subscriptions() {
        return "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
    }

    /** A subscription to a type of its own. */
    private record Subscribed(String id, String type) {}

    private static Subscribed subscribe(String path) {
        String type = "unreadable" + path.replace('/', '.') + "."
                + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post(
                subscriptions(),
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + type + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        return new Subscribed(created.body().get("id").stringValue(), type);
    }

    private static void send(String type) {
        Api.Response accepted = api.post(
                "http://localhost:" + settings.ingestPort() + "/v1/events",
                "{\"type\": \"" + type + "\", \"subject\": \"s-" + UUID.randomUUID() + "\"}");
        assertThat(accepted.status()).isEqualTo(202);
    }
}
