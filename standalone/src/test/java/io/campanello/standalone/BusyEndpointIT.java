package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One busy subscription that answers in time for its queue: its backlog is held back in Kafka (backpressure) rather
 * than sent around the retry path, within its {@code maxConcurrency}.
 */
class BusyEndpointIT {

    private static final int EVENTS = 40;

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api api;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir,
                // 2 slots and 5 waiting at 200 ms an answer: a full queue drains in 600 ms, within keeps-up-within
                // (1s).
                List.of("--campanello.dispatcher.endpoint.queue=5")));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver().delayEach(Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        standalone.close();
        receiver.close();
    }

    @Test
    void aBusyEndpointsBacklogWaitsInKafkaNotOnTheRetryPath() throws Exception {
        String type = "invoice.posted." + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + receiver.url("/erp") + "\", \"eventTypes\": [\"" + type
                        + "\"], \"activate\": true, \"maxConcurrency\": 2}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);

        for (int i = 0; i < EVENTS; i++) {
            Api.Response accepted = api.post(
                    "http://localhost:" + settings.ingestPort() + "/v1/events",
                    "{\"type\": \"" + type + "\", \"subject\": \"invoice-" + i + "\"}");
            assertThat(accepted.status()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.answered("/erp").size() >= EVENTS);
        assertThat(receiver.received("/erp"))
                .as("each delivered once, none failed")
                .hasSize(EVENTS)
                .extracting(call -> call.header("webhook-id"))
                .doesNotHaveDuplicates();
        assertThat(receiver.mostAtOnce("/erp")).as("maxConcurrency").isEqualTo(2);
        String metrics = metrics();
        assertThat(counter(metrics, "campanello_deliveries_deferred_total\\{reason=\"endpoint_busy\"}"))
                .as("nothing went around the retry path")
                .isZero();
        assertThat(counter(metrics, "campanello_deliveries_held_back_total"))
                .as("the backlog was held back")
                .isPositive();
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

    /** A counter's value, 0 when it was never counted. */
    private static double counter(String metrics, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
