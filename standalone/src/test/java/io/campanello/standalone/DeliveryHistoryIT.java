package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** "What happened to my webhook?": the history of real deliveries to a real receiver, asked through the API. */
class DeliveryHistoryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OTHER_KEY = "cmp_other_tenant";

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
                List.of(
                        "--campanello.kafka.retry-delays=1s,1s",
                        "--campanello.api.keys=other=" + OTHER_KEY,
                        TestStandalones.NO_CIRCUIT)));
        standalone = started.standalone();
        settings = started.settings();
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    @Test
    void aDeliveryThatFailedThenSucceededShowsBothAttemptsAndItsPayload() {
        receiver.thenAnswer("/flaky", 500);
        String subscription = subscribe("/flaky", "order.*");
        String event = send("order.created", "order-1");

        JsonNode row = awaitDeliveriesOf(event, "delivered").get(0);
        assertThat(row.get("subscriptionId").stringValue()).isEqualTo(subscription);
        assertThat(row.get("attempts").intValue()).isEqualTo(2);
        String delivery = row.get("id").stringValue();
        assertThat(receiver.received("/flaky"))
                .extracting(request -> request.header("webhook-id"))
                .containsOnly(delivery);

        JsonNode detail = history("/v1/deliveries/" + delivery).body();
        assertThat(detail.get("delivery").get("status").stringValue()).isEqualTo("delivered");
        JsonNode attempts = detail.get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("status").intValue()).isEqualTo(500);
        assertThat(attempts.get(0).get("outcome").stringValue()).isEqualTo("retryable");
        assertThat(attempts.get(1).get("status").intValue()).isBetween(200, 299);
        assertThat(attempts.get(1).get("outcome").stringValue()).isEqualTo("delivered");
        assertThat(attempts.get(1).get("durationMillis").longValue()).isNotNegative();
        assertThat(detail.get("payload").get("type").stringValue()).isEqualTo("order.created");
        assertThat(detail.get("payload").get("subject").stringValue()).isEqualTo("order-1");
        assertThat(detail.get("payload").get("data").get("n").intValue()).isPositive();
    }

    @Test
    void aDeliveryThatRanOutOfAttemptsShowsDeadWithItsReasonAndCanBeFilteredAndCounted() {
        receiver.on("/down", 503, Map.of());
        String subscription = subscribe("/down", "invoice.*");
        String event = send("invoice.issued", "inv-1");

        // The dead letter can be read a moment before the last attempt, which reaches the history re-keyed.
        JsonNode row = awaitDeliveriesOf(event, "dead", 3).get(0);
        assertThat(row.get("lastStatus").intValue()).isEqualTo(503);
        assertThat(row.get("deadReason").stringValue()).isEqualTo("exhausted");

        JsonNode dead = history("/v1/subscriptions/" + subscription + "/deliveries?status=dead")
                .body();
        assertThat(dead.get("items")).hasSize(1);
        assertThat(history("/v1/subscriptions/" + subscription + "/deliveries?status=delivered")
                        .body()
                        .get("items"))
                .isEmpty();
        JsonNode stats = history("/v1/subscriptions/" + subscription + "/stats?window=1h")
                .body();
        assertThat(stats.get("deliveries").longValue()).isEqualTo(1);
        assertThat(stats.get("byStatus").get("dead").longValue()).isEqualTo(1);
        assertThat(stats.get("successRate").doubleValue()).isZero();
        assertThat(stats.get("attempts").longValue()).isEqualTo(3);
        long failedOverTime = 0;
        for (JsonNode interval : stats.get("series")) {
            failedOverTime += interval.get("failed").longValue();
        }
        assertThat(stats.get("series")).as("an hour in 30 intervals").hasSize(30);
        assertThat(failedOverTime).as("the three failed attempts, over time").isEqualTo(3);

        Api.Response invalid = history("/v1/subscriptions/" + subscription + "/deliveries?status=lost");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().get("code").stringValue()).isEqualTo("invalid_status");
    }

    @Test
    void anotherTenantFindsNothingOfIt() {
        String subscription = subscribe("/private", "secret.*");
        String event = send("secret.made", "s-1");
        String delivery = awaitDeliveriesOf(event, "delivered").get(0).get("id").stringValue();

        Api other = api.as(OTHER_KEY);
        Api.Response one = other.get(history() + "/v1/deliveries/" + delivery);
        assertThat(one.status()).isEqualTo(404);
        assertThat(one.body().get("code").stringValue()).isEqualTo("delivery_not_found");
        assertThat(other.get(history() + "/v1/events/" + event + "/deliveries").status())
                .isEqualTo(404);
        Api.Response log = other.get(history() + "/v1/subscriptions/" + subscription + "/deliveries");
        assertThat(log.status()).isEqualTo(404);
        assertThat(log.body().get("code").stringValue()).isEqualTo("subscription_not_found");
        assertThat(other.post(history() + "/v1/deliveries/" + delivery + "/redeliver", "")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aSubscriptionsLogIsPagedNewestFirst() {
        String subscription = subscribe("/paged", "page.*");
        for (int i = 0; i < 5; i++) {
            send("page.turned", "p-" + i);
        }
        await().atMost(WAIT)
                .until(() -> history("/v1/subscriptions/" + subscription + "/deliveries?status=delivered")
                                .body()
                                .get("items")
                                .size()
                        == 5);

        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = history("/v1/subscriptions/" + subscription + "/deliveries?limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .body();
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").stringValue();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(all)
                .extracting(item -> item.get("id").stringValue())
                .doesNotHaveDuplicates()
                .hasSize(5);
        List<Instant> created = all.stream()
                .map(item -> Instant.parse(item.get("createdAt").stringValue()))
                .toList();
        assertThat(created).isSortedAccordingTo((a, b) -> b.compareTo(a));
        Api.Response bad = history("/v1/subscriptions/" + subscription + "/deliveries?cursor=nonsense");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("code").stringValue()).isEqualTo("invalid_cursor");
    }

    @Test
    void aRedeliveryReachesTheReceiverWithTheSameWebhookId() {
        subscribe("/again", "again.*");
        String event = send("again.please", "a-1");
        String delivery = awaitDeliveriesOf(event, "delivered").get(0).get("id").stringValue();
        assertThat(receiver.received("/again")).hasSize(1);

        Api.Response redelivered = api.post(history() + "/v1/deliveries/" + delivery + "/redeliver", "");
        assertThat(redelivered.status()).isEqualTo(202);

        await().atMost(WAIT).until(() -> receiver.received("/again").size() == 2);
        assertThat(receiver.received("/again"))
                .extracting(request -> request.header("webhook-id"))
                .containsOnly(delivery);
        await().atMost(WAIT)
                .until(() -> history("/v1/deliveries/" + delivery)
                                .body()
                                .get("attempts")
                                .size()
                        == 2);
    }

    @Test
    void unknownAndMalformedIdsAreProblemsWithCodes() {
        Api.Response unknown = history("/v1/deliveries/dlv_000000000000000000000000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("code").stringValue()).isEqualTo("delivery_not_found");
        Api.Response malformed = history("/v1/deliveries/nope");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("code").stringValue()).isEqualTo("invalid_id");
        Api.Response window = history("/v1/subscriptions/sub_000000000000000000000000/stats?window=forever");
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.body().get("code").stringValue()).isEqualTo("invalid_window");
    }

    private static List<JsonNode> awaitDeliveriesOf(String event, String status) {
        return awaitDeliveriesOf(event, status, 1);
    }

    private static List<JsonNode> awaitDeliveriesOf(String event, String status, int attempts) {
        List<JsonNode> rows = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            rows.clear();
            Api.Response response = history("/v1/events/" + event + "/deliveries");
            if (response.status() == 200) {
                response.body().get("items").forEach(rows::add);
            }
            return !rows.isEmpty()
                    && rows.get(0).get("status").stringValue().equals(status)
                    && rows.get(0).get("attempts").intValue() >= attempts;
        });
        return rows;
    }

    private static String subscribe(String path, String types) {
        return api.post(
                        "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + types
                                + "\"], \"activate\": true}")
                .body()
                .get("id")
                .stringValue();
    }

    private static int sent;

    private static String send(String type, String subject) {
        Api.Response accepted = api.post(
                "http://localhost:" + settings.ingestPort() + "/v1/events",
                "{\"type\": \"" + type + "\", \"subject\": \"" + subject + "\", \"data\": {\"n\": " + (++sent) + "}}");
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.body().get("id").stringValue();
    }

    private static Api.Response history(String path) {
        return api.get(history() + path);
    }

    private static String history() {
        return "http://localhost:" + settings.historyPort();
    }
}
