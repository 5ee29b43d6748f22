package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.cluster.ServiceProcess;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
    /** Fewer deliveries in flight than the load, so that some wait on the topic when the dispatcher stops. */
    private static final String MAX_IN_FLIGHT_ARGUMENT = "--campanello.dispatcher.max-in-flight=" + MAX_IN_FLIGHT;

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;
    private static DispatcherProcesses dispatchers;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(
                TestStandalones.settings(dataDir, List.of()).withoutDispatcher());
        standalone = started.standalone();
        settings = started.settings();
        dispatchers = new DispatcherProcesses(settings, dataDir);
        api = new Api(TestStandalones.API_KEY);
        // Slow enough that a few hundred deliveries take seconds and many are in flight when the dispatcher stops.
        receiver = new TestReceiver().delayEach(Duration.ofMillis(500));
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
    void aKilledDispatcherDeliversEverythingOnceItIsBack() throws Exception {
        String path = "/after-kill";
        String subscription = subscribe(path);
        ServiceProcess first = busyDispatcher(path, "killed");

        first.kill();
        assertThat(distinctDelivered(path)).as("killed mid-load").isLessThan(EVENTS);

        dispatchers.start("restarted", MAX_IN_FLIGHT_ARGUMENT);

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
        ServiceProcess first = busyDispatcher(path, "stopped");

        first.terminate(); // fails unless it exits within a minute
        assertThat(first.exitValue()).as("exit status after SIGTERM").isZero();
        assertThat(distinctDelivered(path)).as("stopped mid-load").isLessThan(EVENTS);

        dispatchers.start("restarted", MAX_IN_FLIGHT_ARGUMENT);

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
    private ServiceProcess busyDispatcher(String path, String name) throws IOException {
        sendEvents(path);
        ServiceProcess dispatcher = dispatchers.start(name, MAX_IN_FLIGHT_ARGUMENT);
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
}
