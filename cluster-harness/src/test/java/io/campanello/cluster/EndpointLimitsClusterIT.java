package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription's {@code maxConcurrency} holds with two dispatchers: its fresh deliveries and its retries are keyed by
 * the subscription onto the same partition number of {@code webhooks.deliveries} and {@code webhooks.redeliveries},
 * which the dispatchers' range assignment gives to one member, so one instance sends all of a subscription's requests.
 * On three brokers, with an ingest, a subscription service, a retry service and two dispatcher JVMs.
 */
class EndpointLimitsClusterIT {

    private static final int SUBSCRIPTIONS = 4;
    private static final int EVENTS = 60;
    private static final String RETRY_DELAYS = "--campanello.kafka.retry-delays=1s,1s";
    /** Every first attempt fails on purpose: circuits would open after 5 in a row and defer the rest. */
    private static final String NO_CIRCUIT = "--campanello.dispatcher.circuit.failures=100000";

    @TempDir
    static Path dir;

    private static KafkaCluster kafka;
    private static ServiceProcesses services;
    private static Receiver receiver;
    private static ServiceProcess ingest;
    private static List<ServiceProcess> dispatchers;

    @BeforeAll
    static void startCluster() throws Exception {
        kafka = KafkaCluster.start(dir, 3);
        services = new ServiceProcesses(kafka);
        // Every delivery fails once, so fresh deliveries and retries of a subscription are sent side by side.
        receiver = Receiver.start().delayEach(Duration.ofMillis(50)).failFirstAttempt();
        ServiceProcess subscriptions = services.start(Service.SUBSCRIPTIONS, "subscriptions");
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            ClusterApi.post(
                    subscriptions,
                    "/v1/subscriptions",
                    "{\"url\": \"" + receiver.url(path(i)) + "\", \"eventTypes\": [\"limit." + i
                            + "\"], \"activate\": true, \"maxConcurrency\": 2}",
                    201);
        }
        ingest = services.launch(Service.INGEST, "ingest");
        ServiceProcess retry = services.launch(Service.RETRY, "retry", RETRY_DELAYS);
        dispatchers = List.of(
                services.launch(Service.DISPATCHER, "dispatcher-1", RETRY_DELAYS, NO_CIRCUIT),
                services.launch(Service.DISPATCHER, "dispatcher-2", RETRY_DELAYS, NO_CIRCUIT));
        ingest.awaitReady();
        retry.awaitReady();
        dispatchers.forEach(ServiceProcess::awaitReady);
    }

    @AfterAll
    static void stopCluster() {
        if (receiver != null) {
            receiver.close();
        }
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aSubscriptionsConcurrencyLimitHoldsAcrossDispatchers() throws Exception {
        for (int e = 0; e < EVENTS; e++) {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                ClusterApi.post(
                        ingest, "/v1/events", "{\"type\": \"limit." + i + "\", \"subject\": \"s-" + e + "\"}", 202);
            }
        }

        await().atMost(Duration.ofMinutes(2))
                .until(() -> IntStream.range(0, SUBSCRIPTIONS)
                        .allMatch(i -> receiver.countsByWebhookId(path(i)).values().stream()
                                        .filter(count -> count >= 2)
                                        .count()
                                == EVENTS));
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            assertThat(receiver.countsByWebhookId(path(i)))
                    .as("every delivery failed once and was delivered by its retry")
                    .hasSize(EVENTS)
                    .allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
            assertThat(receiver.mostAtOnce(path(i)))
                    .as("maxConcurrency 2 of subscription %d, with two dispatchers", i)
                    .isBetween(1, 2);
        }
        double delivered = 0;
        for (ServiceProcess dispatcher : dispatchers) {
            delivered += ClusterApi.metric(dispatcher, "campanello_deliveries_total");
        }
        assertThat(delivered).as("attempts made by the two dispatchers").isEqualTo(2.0 * EVENTS * SUBSCRIPTIONS);
    }

    private static String path(int subscription) {
        return "/limited-" + subscription;
    }
}
