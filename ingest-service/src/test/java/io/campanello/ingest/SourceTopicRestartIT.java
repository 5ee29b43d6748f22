package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.EventEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The ingest service as its own process (the jar a deployment runs), killed with {@code kill -9} a quarter of the
 * way through a source topic: once it is back, every event is on webhooks.events, every poison record in the ingest
 * dead-letter topic, and an event read twice (its batch was not committed when it died) kept its event id.
 */
@EmbeddedKafka(partitions = 3, topics = SourceTopicRestartIT.SOURCE)
class SourceTopicRestartIT {

    static final String SOURCE = "erp.restart";
    private static final Pattern NUMBER = Pattern.compile("\"n\":(\\d+)");
    private static final int RECORDS = 40_000;
    private static final int POISON_EVERY = 500;

    private Process ingest;

    @AfterEach
    void stopIngest() throws InterruptedException {
        if (ingest != null) {
            ingest.destroyForcibly();
            ingest.waitFor();
        }
    }

    @Test
    void aKilledIngestLosesNothingAndAnEventReadTwiceKeepsItsId(EmbeddedKafkaBroker broker) throws Exception {
        String servers = broker.getBrokersAsString();
        produce(servers);

        ingest = startIngest(servers, "first");
        long eventsAtKill = awaitEvents(servers, RECORDS / 4);
        ingest.destroyForcibly();
        ingest.waitFor();

        ingest = startIngest(servers, "restarted");
        int total = RECORDS;
        int poison = (total + POISON_EVERY - 1) / POISON_EVERY;
        int expected = total - poison;
        Map<Integer, Set<String>> idsPerNumber = new HashMap<>();
        Set<String> deadLetterKeys = new HashSet<>();
        try (var events = new TopicReader(servers, Topics.EVENTS);
                var deadLetters = new TopicReader(servers, Topics.INGEST_DLQ)) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                events.poll().forEach(record -> addEventId(record, idsPerNumber));
                deadLetters.poll().forEach(record -> deadLetterKeys.add(record.key()));
                assertThat(idsPerNumber.size())
                        .as("events of %d records", total)
                        .isEqualTo(expected);
                assertThat(deadLetterKeys.size()).as("poison records").isEqualTo(poison);
            });
        }
        assertThat(idsPerNumber.values())
                .as("an event read again after the kill has the id it was first written with")
                .allMatch(ids -> ids.size() == 1);
        assertThat(eventsAtKill).as("killed mid-way").isLessThan(expected);
    }

    /** Writes events (half with the producer's own id, half without) and, every 500th, a record that is no event. */
    private static void produce(String servers) {
        try (var producer = new KafkaProducer<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int n = 0; n < RECORDS; n++) {
                String value = n % POISON_EVERY == 0
                        ? "poison " + n
                        : "{" + (n % 2 == 0 ? "\"id\": \"erp-" + n + "\", " : "")
                                + "\"type\": \"order.created\", \"subject\": \"order-" + n + "\", \"data\": {\"n\":" + n
                                + "}}";
                producer.send(new ProducerRecord<>(SOURCE, "k-" + n, value.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private long awaitEvents(String servers, long atLeast) {
        long[] count = new long[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(ingest.isAlive()).as("ingest is running").isTrue();
            count[0] = endOffsets(servers, Topics.EVENTS);
            return count[0] >= atLeast;
        });
        return count[0];
    }

    private static long endOffsets(String servers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            var partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        }
    }

    private static void addEventId(ConsumerRecord<String, byte[]> record, Map<Integer, Set<String>> idsPerNumber) {
        EventEnvelope event = new AvroDeserializer().deserialize(Topics.EVENTS, record.value(), EventEnvelope.class);
        Matcher n = NUMBER.matcher(String.valueOf(event.getData()));
        if (n.find()) {
            idsPerNumber
                    .computeIfAbsent(Integer.parseInt(n.group(1)), k -> new HashSet<>())
                    .add(event.getId());
        }
    }

    /** Reads a whole topic from its beginning, a poll at a time. */
    private static final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;

        TopicReader(String servers, String topic) {
            consumer = new KafkaConsumer<>(
                    Map.<String, Object>of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            servers,
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                            5_000),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Iterable<ConsumerRecord<String, byte[]>> poll() {
            return consumer.poll(Duration.ofMillis(500));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Starts the ingest service's executable jar against the test broker, as a deployment would. */
    private static Process startIngest(String servers, String name) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "ingest-logs"))
                .resolve(System.currentTimeMillis() + "-" + name + ".log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        executableJar().toString(),
                        "--server.port=" + freePort(),
                        "--spring.kafka.bootstrap-servers=" + servers,
                        "--campanello.kafka.replication-factor=1",
                        "--campanello.ingest.source-topics=" + SOURCE,
                        "--campanello.ingest.source-concurrency=3",
                        "--spring.main.banner-mode=off",
                        // A killed member's partitions move after the session timeout: the broker's least, 6 s.
                        "--spring.kafka.consumer.properties.session.timeout.ms=6000")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(process.isAlive())
                    .as("ingest %s is running, see %s", name, log)
                    .isTrue();
            return Files.readString(log).contains("Started IngestApplication");
        });
        return process;
    }

    private static Path executableJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("package ingest-service first (verify does)"));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
