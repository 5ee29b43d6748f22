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
        StandaloneSettings settings = TestStandalones.settings(dataDir, List.of());
        Api api = new Api(TestStandalones.API_KEY);
        String subscriptions = "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
        try (TestReceiver receiver = new TestReceiver()) {
            String id;
            try (Standalone first = Standalone.start(settings)) {
                Api.Response created = api.post(
                        subscriptions,
                        "{\"url\": \"" + receiver.url("/after-restart")
                                + "\", \"eventTypes\": [\"stock.*\"], \"activate\": true}");
                assertThat(created.status()).isEqualTo(201);
                id = created.body().get("id").stringValue();
            }

            try (Standalone second = Standalone.start(settings)) {
                Api.Response read = api.get(subscriptions + "/" + id);
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
        StandaloneSettings settings = TestStandalones.settings(dataDir, List.of());
        Api api = new Api(TestStandalones.API_KEY);
        String subscriptions = "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
        String events = "http://localhost:" + settings.ingestPort() + "/v1/events";
        try (TestReceiver receiver = new TestReceiver()) {
            try (Standalone first = Standalone.start(settings)) {
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

            try (Standalone second = Standalone.start(settings)) {
                api.post(events, stock("sku-1", 5)); // still low: no new transition
                api.post(events, stock("sku-1", 30)); // back up
                api.post(events, stock("sku-1", 3)); // drops again: fires
                api.post(events, stock("sku-2", 1)); // a new subject: first seen, and low
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received("/low-stock").size() == 3
                                && receiver.received("/first-seen").size() == 2);
                await().pollDelay(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> true);
            }
            assertThat(receiver.received("/low-stock"))
                    .extracting(RestartIT::stockOf)
                    .containsExactlyInAnyOrder("sku-1:8", "sku-1:3", "sku-2:1");
            assertThat(receiver.received("/first-seen"))
                    .extracting(RestartIT::stockOf)
                    .containsExactlyInAnyOrder("sku-1:20", "sku-2:1");
        }
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
