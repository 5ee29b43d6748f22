package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The standalone keeps its broker's data: stop it, start it again, and subscriptions are still there and matched. */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void subscriptionsSurviveARestartOfTheWholeStandalone() throws Exception {
        Api api = new Api(TestStandalones.API_KEY);
        try (TestReceiver receiver = new TestReceiver()) {
            String id;
            StandaloneSettings settings;
            try (TestStandalones.Started first = TestStandalones.start(dataDir, List.of())) {
                settings = first.settings();
                Api.Response created = api.post(
                        subscriptions(settings),
                        "{\"url\": \"" + receiver.url("/after-restart")
                                + "\", \"eventTypes\": [\"stock.*\"], \"activate\": true}");
                assertThat(created.status()).isEqualTo(201);
                id = created.body().get("id").stringValue();
            }

            try (TestStandalones.Started second = TestStandalones.start(settings)) {
                settings = second.settings();
                Api.Response read = api.get(subscriptions(settings) + "/" + id);
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.body().get("url").stringValue()).isEqualTo(receiver.url("/after-restart"));

                Api.Response accepted = api.post(
                        "http://localhost:" + settings.ingestPort() + "/v1/events",
                        "{\"type\": \"stock.low\", \"subject\": \"sku-1\"}");
                assertThat(accepted.status()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/after-restart").size() == 1);
            }
        }
    }

    @Test
    void modesRememberEachSubjectAcrossARestart() throws Exception {
        Api api = new Api(TestStandalones.API_KEY);
        try (TestReceiver receiver = new TestReceiver()) {
            StandaloneSettings settings;
            try (TestStandalones.Started first = TestStandalones.start(dataDir, List.of())) {
                settings = first.settings();
                String subscriptions = subscriptions(settings);
                String events = events(settings);
                assertThat(api.post(
                                        subscriptions,
                                        "{\"url\": \"" + receiver.url("/low-stock")
                                                + "\", \"eventTypes\": [\"stock.level\"], \"mode\": \"ON_TRANSITION\","
                                                + " \"filter\": \"data.stock < 10\", \"activate\": true}")
                                .status())
                        .isEqualTo(201);
                assertThat(api.post(
                                        subscriptions,
                                        "{\"url\": \"" + receiver.url("/first-seen")
                                                + "\", \"eventTypes\": [\"stock.level\"], \"mode\": \"ONCE_PER_SUBJECT\","
                                                + " \"activate\": true}")
                                .status())
                        .isEqualTo(201);
                api.post(events, stock("sku-1", 20));
                api.post(events, stock("sku-1", 8));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/low-stock").size() == 1
                                && receiver.received("/first-seen").size() == 1);
            }

            try (TestStandalones.Started second = TestStandalones.start(settings)) {
                String events = events(second.settings());
                api.post(events, stock("sku-1", 5)); // still low: no new transition
                api.post(events, stock("sku-1", 30)); // back up
                api.post(events, stock("sku-1", 3)); // drops again: fires
                api.post(events, stock("sku-2", 1)); // a new subject: first seen, and low
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/low-stock").size() == 3
                                && receiver.received("/first-seen").size() == 2);
                // Markers behind anything else that could fire: sku-1's next drop is matched after its earlier
                // events (one subject, one partition of events) and delivered on /low-stock's partition after them;
                // sku-3, sent once that arrived, is matched after every sku-1 event and delivered on /first-seen's
                // partition after anything they could have fired there.
                api.post(events, stock("sku-1", 40));
                api.post(events, stock("sku-1", 2));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/low-stock").stream()
                                .anyMatch(r -> stockOf(r).equals("sku-1:2")));
                api.post(events, stock("sku-3", 50));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/first-seen").stream()
                                .anyMatch(r -> stockOf(r).equals("sku-3:50")));
            }
            assertThat(receiver.received("/low-stock"))
                    .extracting(RestartIT::stockOf)
                    .containsExactlyInAnyOrder("sku-1:8", "sku-1:3", "sku-2:1", "sku-1:2");
            assertThat(receiver.received("/first-seen"))
                    .extracting(RestartIT::stockOf)
                    .containsExactlyInAnyOrder("sku-1:20", "sku-2:1", "sku-3:50");
        }
    }

    private static String subscriptions(StandaloneSettings settings) {
        return "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
    }

    private static String events(StandaloneSettings settings) {
        return "http://localhost:" + settings.ingestPort() + "/v1/events";
    }

    private static String stock(String sku, int stock) {
        return "{\"type\": \"stock.level\", \"subject\": \"" + sku + "\", \"data\": {\"stock\": " + stock + "}}";
    }

    private static String stockOf(TestReceiver.Received received) {
        JsonNode body = JsonMapper.builder().build().readTree(received.body());
        return body.get("subject").stringValue() + ":"
                + body.get("data").get("stock").intValue();
    }
}
