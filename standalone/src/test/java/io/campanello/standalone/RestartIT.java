package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
