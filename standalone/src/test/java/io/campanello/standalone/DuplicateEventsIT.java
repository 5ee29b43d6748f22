package io.campanello.standalone;

import static io.campanello.standalone.EventCopies.DELIVERY;
import static io.campanello.standalone.EventCopies.deduplicated;
import static io.campanello.standalone.EventCopies.event;
import static io.campanello.standalone.EventCopies.notes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer that sends an event again (after a timeout, a 503, a lost answer) makes one delivery, not two: over HTTP
 * with the same {@code Idempotency-Key}, on a source topic with the same producer {@code id}, within the matcher's
 * dedupe window (10 s here); a copy sent after the window is delivered again.
 */
class DuplicateEventsIT {

    private static final String SOURCE_TOPIC = "erp.dedupe";
    private static final Duration WINDOW = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    static TestStandalones.Started started;
    static TestReceiver receiver;
    static EventCopies events;

    @BeforeAll
    static void start() throws Exception {
        started = TestStandalones.start(
                dataDir,
                List.of(
                        "--campanello.matcher.dedupe-window=" + WINDOW.toSeconds() + "s",
                        "--campanello.ingest.source-topics=" + SOURCE_TOPIC));
        receiver = new TestReceiver();
        events = new EventCopies(receiver);
    }

    @AfterAll
    static void stop() {
        receiver.close();
        started.close();
    }

    @Test
    void aPostSentAgainWithTheSameIdempotencyKeyIsDeliveredOnceAndTheFirstBodyWins() {
        StandaloneSettings settings = started.settings();
        String type = events.subscribe(settings, "/idempotent");
        String key = UUID.randomUUID().toString();
        double droppedBefore = deduplicated(settings);

        String first = events.send(settings, event(type, "order-1", "first"), key);
        String retry = events.send(settings, event(type, "order-1", "first"), key);
        String changed = events.send(settings, event(type, "order-1", "changed"), "\"" + key + "\"");

        assertThat(retry).as("the same key is answered with the same id").isEqualTo(first);
        assertThat(changed)
                .as("the same key, quoted as the IETF draft writes it")
                .isEqualTo(first);
        events.awaitMarker(settings, type, "order-1", "/idempotent", droppedBefore + 2);
        assertThat(notes(receiver.received("/idempotent"))).containsExactly("first", "marker");
    }

    @Test
    void aSourceRecordSentAgainWithTheSameProducerIdIsDeliveredOnce() {
        StandaloneSettings settings = started.settings();
        String type = events.subscribe(settings, "/from-topic");
        double droppedBefore = deduplicated(settings);

        String record = "{\"id\": \"ORD-" + UUID.randomUUID() + "\", \"source\": \"/erp\", \"type\": \"" + type
                + "\", \"subject\": \"order-7\", \"data\": {\"note\": \"first\"}}";
        try (var producer = new KafkaProducer<String, String>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(SOURCE_TOPIC, "order-7", record));
            producer.send(new ProducerRecord<>(SOURCE_TOPIC, "order-7", record));
            // The marker: another event of the subject, read and matched after both copies.
            producer.send(new ProducerRecord<>(SOURCE_TOPIC, "order-7", event(type, "order-7", "marker")));
        }

        await().atMost(DELIVERY)
                .until(() -> deduplicated(settings) >= droppedBefore + 1
                        && notes(receiver.received("/from-topic")).contains("marker"));
        assertThat(notes(receiver.received("/from-topic"))).containsExactly("first", "marker");
    }

    @Test
    void anEventSentAgainAfterTheWindowIsDeliveredAgain() {
        StandaloneSettings settings = started.settings();
        String type = events.subscribe(settings, "/after-window");
        String key = UUID.randomUUID().toString();

        Instant firstSent = Instant.now();
        String first = events.send(settings, event(type, "order-9", "first"), key);
        await().atMost(DELIVERY).until(() -> receiver.received("/after-window").size() == 1);
        await().atMost(WINDOW.multipliedBy(2))
                .until(() -> Instant.now().isAfter(firstSent.plus(WINDOW).plusSeconds(1)));
        String again = events.send(settings, event(type, "order-9", "again"), key);

        assertThat(again).isEqualTo(first);
        await().atMost(DELIVERY).until(() -> receiver.received("/after-window").size() == 2);
        assertThat(notes(receiver.received("/after-window"))).containsExactly("first", "again");
    }
}
