package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.cluster.ServiceProcess;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parking with the dispatcher as its own process (the jar a deployment runs), on a real broker and real HTTP: a
 * subscription left paused never holds back another one's parked deliveries, even of another tenant on the same
 * partition of webhooks.parked; and a resumed subscription gets its parked deliveries first and in order, also when
 * the dispatcher restarted while they were parked.
 */
class ParkingIT {

    private static final String ACME_KEY = "cmp_acme";
    private static final String GLOBEX_KEY = "cmp_globex";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api acme;
    static Api globex;
    static TestReceiver receiver;
    private static DispatcherProcesses dispatchers;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                        dataDir, List.of("--campanello.api.keys=acme=" + ACME_KEY + ",globex=" + GLOBEX_KEY))
                .withoutDispatcher());
        standalone = started.standalone();
        settings = started.settings();
        dispatchers = new DispatcherProcesses(settings, dataDir);
        acme = new Api(ACME_KEY);
        globex = new Api(GLOBEX_KEY);
        // Each answer takes a while, so a delivery that jumps the queue arrives before the ones it jumped.
        receiver = new TestReceiver().delayEach(Duration.ofMillis(300));
    }

    @AfterEach
    void stopDispatchers() {
        dispatchers.stopAll();
    }

    @AfterAll
    static void stop() {
        standalone.close();
        receiver.close();
    }

    @Test
    void aSubscriptionLeftPausedNeverHoldsBackAnotherTenantsOnTheSamePartition() throws Exception {
        dispatchers.start("shared");
        String typeA = unique("held");
        String a = subscribe(acme, "/left-paused", typeA);
        setStatus(acme, a, "pause", "PAUSED");
        // Another tenant's subscription whose parked deliveries share webhooks.parked's partition with a's.
        String typeB = null;
        String b = null;
        String pathB = null;
        int partitions = parkedPartitions();
        for (int tries = 0; b == null; tries++) {
            assertThat(tries).as("a subscription id on the partition of " + a).isLessThan(60);
            String type = unique("resumed");
            String candidate = subscribe(globex, "/resumed-" + tries, type);
            if (partitionOf(candidate, partitions) == partitionOf(a, partitions)) {
                typeB = type;
                b = candidate;
                pathB = "/resumed-" + tries;
            } else {
                assertThat(globex.delete(subscriptions() + "/" + candidate).status())
                        .isEqualTo(204);
            }
        }
        setStatus(globex, b, "pause", "PAUSED");

        sendNumbered(acme, typeA, 1, 3);
        awaitParked(a, 3);
        sendNumbered(globex, typeB, 1, 3);
        awaitParked(b, 3);

        setStatus(globex, b, "resume", "ACTIVE");

        String resumed = pathB;
        await().atMost(DELIVERY).until(() -> receiver.received(resumed).size() == 3);
        assertThat(numbers(resumed)).as("b's parked deliveries, in order").containsExactly(1, 2, 3);
        assertThat(receiver.received("/left-paused"))
                .as("a is still paused: its deliveries, ahead of b's, stay parked")
                .isEmpty();

        setStatus(acme, a, "resume", "ACTIVE");
        await().atMost(DELIVERY).until(() -> receiver.received("/left-paused").size() == 3);
        assertThat(numbers("/left-paused")).containsExactly(1, 2, 3);
    }

    @Test
    void aResumedSubscriptionGetsItsParkedDeliveriesFirstAfterTheDispatcherRestarted() throws Exception {
        ServiceProcess first = dispatchers.start("before-restart");
        String type = unique("restarted");
        String id = subscribe(acme, "/after-restart", type);
        setStatus(acme, id, "pause", "PAUSED");
        sendNumbered(acme, type, 1, 3);
        awaitParked(id, 3);
        // The parking lot has read them (and committed what it holds) before the dispatcher stops.
        await().atMost(DELIVERY).until(() -> heldParked(first) >= 3);

        first.terminate();
        dispatchers.start("after-restart");

        setStatus(acme, id, "resume", "ACTIVE");
        sendNumbered(acme, type, 4, 4);

        await().atMost(DELIVERY).until(() -> receiver.received("/after-restart").size() >= 4);
        assertThat(numbers("/after-restart"))
                .as("the parked deliveries first, in order, then the new one")
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void aDeliveryParkedLongerThanMaxParkedBecomesADeadLetter() throws Exception {
        dispatchers.start("max-parked", "--campanello.dispatcher.max-parked=2s");
        String type = unique("forgotten");
        String id = subscribe(acme, "/forgotten", type);
        setStatus(acme, id, "pause", "PAUSED");
        sendNumbered(acme, type, 1, 1);

        var deadLetter = TopicRecords.readUntil(
                        settings.kafkaPort(),
                        Topics.DLQ,
                        read -> read.stream().anyMatch(record -> id.equals(record.key())))
                .stream()
                .filter(record -> id.equals(record.key()))
                .findFirst()
                .orElseThrow();
        assertThat(new String(
                        deadLetter
                                .headers()
                                .lastHeader(KafkaHeaders.DEAD_LETTER_REASON)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("parked_too_long");
        assertThat(receiver.received("/forgotten")).isEmpty();
    }

    private static String subscriptions() {
        return "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String subscribe(Api api, String path, String type) {
        Api.Response created = api.post(
                subscriptions(),
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + type + "\"], \"activate\": true}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body().get("id").stringValue();
    }

    private static void setStatus(Api api, String id, String action, String expected) {
        assertThat(api.post(subscriptions() + "/" + id + "/" + action, "")
                        .body()
                        .get("status")
                        .stringValue())
                .isEqualTo(expected);
    }

    private static void sendNumbered(Api api, String type, int from, int to) {
        for (int n = from; n <= to; n++) {
            assertThat(api.post(
                                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                                    "{\"type\": \"" + type + "\", \"subject\": \"s\", \"data\": {\"n\": " + n + "}}")
                            .status())
                    .isEqualTo(202);
        }
    }

    private static List<Integer> numbers(String path) {
        return receiver.received(path).stream()
                .map(r -> JSON.readTree(r.body()).get("data").get("n").intValue())
                .toList();
    }

    private static void awaitParked(String subscriptionId, int count) {
        TopicRecords.readUntil(
                settings.kafkaPort(),
                Topics.PARKED,
                read -> read.stream()
                                .filter(record -> subscriptionId.equals(record.key()))
                                .count()
                        >= count);
    }

    private static int parkedPartitions() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + settings.kafkaPort()))) {
            return admin.describeTopics(List.of(Topics.PARKED))
                    .allTopicNames()
                    .get()
                    .get(Topics.PARKED)
                    .partitions()
                    .size();
        }
    }

    /** The producer's default partition of a record keyed by the subscription id. */
    private static int partitionOf(String subscriptionId, int partitions) {
        return Utils.toPositive(Utils.murmur2(subscriptionId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The dispatcher's {@code campanello_dispatcher_parked_held} gauge. */
    private double heldParked(ServiceProcess dispatcher) throws Exception {
        int port = dispatcher.port();
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("campanello_dispatcher_parked_held"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
