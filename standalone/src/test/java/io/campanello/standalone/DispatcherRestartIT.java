package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher as its own process (the jar a deployment runs), stopped in the middle of a load: killed, every
 * delivery is still answered once it is back (at least once, sent again at most what was in flight); stopped with
 * SIGTERM, it finishes what it started, commits and exits cleanly, so every delivery arrives exactly once. A delivery
 * counts when the receiver's answer was completely written, never when its request merely arrived.
 */
class DispatcherRestartIT {

    private static final int EVENTS = 300;
    /** The dispatcher's budget of deliveries in flight: the most a kill may make it send again. */
    private static final int MAX_IN_FLIGHT = 50;

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;
    private final List<Process> dispatchers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(
                TestStandalones.settings(dataDir, List.of()).withoutDispatcher());
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        // Slow enough that a few hundred deliveries take seconds and many are in flight when the dispatcher stops.
        receiver = new TestReceiver().delayEach(Duration.ofMillis(500));
    }

    @AfterEach
    void stopDispatchers() throws InterruptedException {
        for (Process dispatcher : dispatchers) {
            dispatcher.destroyForcibly();
            dispatcher.waitFor();
        }
    }

    @AfterAll
    static void stop() {
        standalone.close();
        receiver.close();
    }

    @Test
    void aKilledDispatcherDeliversEverythingOnceItIsBack() throws Exception {
        String path = "/after-kill";
        String subscription = subscribe(path);
        Process first = busyDispatcher(path, "killed");

        first.destroyForcibly();
        first.waitFor();
        assertThat(distinctDelivered(path)).as("killed mid-load").isLessThan(EVENTS);

        startDispatcher("restarted");

        await().atMost(Duration.ofSeconds(90)).until(() -> distinctDelivered(path) == EVENTS);
        awaitRecordedAsDelivered(subscription);
        List<TestReceiver.Received> answered = receiver.answered(path);
        assertThat(answered.size() - EVENTS)
                .as("answered twice: only what was in flight or not yet committed when it was killed")
                .isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }

    @Test
    void aDispatcherStoppedWithSigtermFinishesWhatItStartedAndLosesNothing() throws Exception {
        String path = "/after-sigterm";
        String subscription = subscribe(path);
        Process first = busyDispatcher(path, "stopped");

        first.destroy();
        assertThat(first.waitFor(40, java.util.concurrent.TimeUnit.SECONDS))
                .as("exits within its shutdown timeout")
                .isTrue();
        assertThat(first.exitValue()).as("exit status after SIGTERM").isZero();
        assertThat(distinctDelivered(path)).as("stopped mid-load").isLessThan(EVENTS);

        startDispatcher("restarted");

        await().atMost(Duration.ofSeconds(90)).until(() -> distinctDelivered(path) == EVENTS);
        awaitRecordedAsDelivered(subscription);
        Map<String, Long> callsPerDelivery = receiver.received(path).stream()
                .collect(Collectors.groupingBy(call -> call.header("webhook-id"), Collectors.counting()));
        assertThat(callsPerDelivery.values())
                .as("what was in flight was finished and committed before exit")
                .allMatch(calls -> calls == 1);
    }

    /**
     * A dispatcher in the middle of a load: the whole load waits on the topic before it starts, so that it can be
     * stopped with a fifth of the deliveries made.
     */
    private Process busyDispatcher(String path, String name) throws IOException {
        sendEvents(path);
        Process dispatcher = startDispatcher(name);
        await().atMost(Duration.ofSeconds(60)).until(() -> distinctDelivered(path) >= EVENTS / 5);
        return dispatcher;
    }

    private static long distinctDelivered(String path) {
        return receiver.answered(path).stream()
                .map(call -> call.header("webhook-id"))
                .distinct()
                .count();
    }

    /**
     * Every delivery has an attempt recorded as delivered: the dispatcher had the receiver's answer. A receiver
     * cannot tell an answer the dispatcher read from one written into the socket of a dispatcher just killed; a
     * dispatcher that moved past a delivery once its request was sent loses the latter, and they never get one.
     */
    private static void awaitRecordedAsDelivered(String subscription) {
        AvroDeserializer avro = new AvroDeserializer();
        TopicRecords.readUntil(
                settings.kafkaPort(),
                Topics.ATTEMPTS,
                read -> read.stream()
                                .map(record -> avro.deserialize(Topics.ATTEMPTS, record.value(), DeliveryAttempt.class))
                                .filter(attempt -> attempt.getSubscriptionId().equals(subscription)
                                        && attempt.getOutcome() == AttemptOutcome.DELIVERED)
                                .map(DeliveryAttempt::getDeliveryId)
                                .distinct()
                                .count()
                        == EVENTS);
    }

    private static String subscribe(String path) {
        Api.Response created = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"restart" + path.replace('/', '.')
                        + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").stringValue();
    }

    private static void sendEvents(String path) {
        for (int i = 0; i < EVENTS; i++) {
            Api.Response accepted = api.post(
                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                    "{\"type\": \"restart" + path.replace('/', '.') + "\", \"subject\": \"s-" + UUID.randomUUID()
                            + "\"}");
            assertThat(accepted.status()).isEqualTo(202);
        }
    }

    /** Starts the dispatcher's executable jar against the standalone's broker, as a deployment would. */
    private Process startDispatcher(String name) throws IOException {
        Path jar = executableJar();
        Path log = Files.createDirectories(Path.of("target", "dispatcher-logs"))
                .resolve(System.currentTimeMillis() + "-" + name + ".log");
        int port = freePort();
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--server.port=" + port,
                        "--spring.kafka.bootstrap-servers=127.0.0.1:" + settings.kafkaPort(),
                        "--campanello.api.key=" + TestStandalones.API_KEY,
                        "--campanello.secrets.key=" + SecretsKeyFile.readOrCreate(dataDir),
                        "--campanello.kafka.replication-factor=1",
                        "--campanello.url-policy.allow-http=true",
                        "--campanello.url-policy.allow-list=127.0.0.0/8",
                        "--spring.main.banner-mode=off",
                        // Fewer deliveries in flight than the load, so that some wait on the topic when it stops.
                        "--campanello.dispatcher.max-in-flight=" + MAX_IN_FLIGHT,
                        // A killed member's partitions move after the session timeout: the broker's least, 6 s.
                        "--spring.kafka.consumer.properties.session.timeout.ms=6000")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        dispatchers.add(process);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(process.isAlive())
                    .as("dispatcher %s is running, see %s", name, log)
                    .isTrue();
            return Files.readString(log).contains("Started DispatcherApplication");
        });
        return process;
    }

    private static Path executableJar() throws IOException {
        Path target = Path.of("..", "dispatcher-service", "target");
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "build dispatcher-service first (./mvnw verify builds it before these tests)"));
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
