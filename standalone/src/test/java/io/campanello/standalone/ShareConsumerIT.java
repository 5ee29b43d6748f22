package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's alternative share-group consumer ({@code campanello.dispatcher.consumer=share}, not the default;
 * docs/dispatcher.md): a smoke test that it delivers on the embedded broker (share groups enabled) and dead-letters
 * what it cannot read. The default consumer's guarantees are tested by the other ITs.
 */
class ShareConsumerIT {

    private static final int EVENTS = 40;

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        settings = TestStandalones.settings(dataDir, List.of("--campanello.dispatcher.consumer=share"));
        standalone = Standalone.start(settings);
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    @Test
    void deliversEveryEventOnce() {
        String type = "share.delivered." + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + receiver.url("/share") + "\", \"eventTypes\": [\"" + type
                        + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);

        for (int i = 0; i < EVENTS; i++) {
            Api.Response accepted = api.post(
                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                    "{\"type\": \"" + type + "\", \"subject\": \"s-" + i + "\"}");
            assertThat(accepted.status()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.received("/share").size() >= EVENTS);
        Map<String, Long> callsPerDelivery = receiver.received("/share").stream()
                .collect(Collectors.groupingBy(call -> call.header("webhook-id"), Collectors.counting()));
        assertThat(callsPerDelivery).hasSize(EVENTS);
        assertThat(callsPerDelivery.values()).allMatch(calls -> calls == 1);
    }

    @Test
    void anUnreadableTaskBecomesADeadLetter() {
        String key = "unreadable-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    Topics.DELIVERIES, key, "not a delivery task".getBytes(StandardCharsets.UTF_8)));
        }

        var deadLetters = TopicRecords.readUntil(
                settings.kafkaPort(), Topics.DLQ, read -> read.stream().anyMatch(record -> key.equals(record.key())));
        assertThat(deadLetters.stream().filter(record -> key.equals(record.key())))
                .singleElement()
                .satisfies(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                        .isEqualTo("not a delivery task"));
    }
}
