package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The operator console in a real browser (Debian's chromium, headless) against a running standalone and a receiver
 * that answers 500: log in, find the failing subscription and why it fails, replay its dead letters with a dry run
 * first, watch the replay to the end, and see the replayed deliveries arrive once the receiver is fixed. Skipped when
 * /usr/bin/chromedriver is absent (.ci/run installs chromium and chromium-driver).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PATH = "/orders";
    private static final String BIN = "console-demo";
    private static final int EVENTS = 3;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path profile;

    static TestStandalones.Started started;
    static TestReceiver receiver;
    static Api api;
    static ConsoleBrowser browser;
    static String subscription;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(ConsoleBrowser.DRIVER) && Files.isExecutable(ConsoleBrowser.CHROMIUM),
                "no /usr/bin/chromedriver or /usr/bin/chromium: install Debian's chromium and chromium-driver"
                        + " (.ci/run does) to run the console's browser test");
        started = TestStandalones.start(
                dataDir, List.of("--campanello.kafka.retry-delays=1s,1s", TestStandalones.NO_CIRCUIT));
        api = new Api(TestStandalones.API_KEY);
        receiver = new TestReceiver();
        receiver.on(PATH, 500, Map.of());
        subscription = subscribe(receiver.url(PATH), "order.*");
        subscribe("http://127.0.0.1:" + settings().inspectorPort() + "/bins/" + BIN, "shipment.*");
        api.post(
                url(settings().ingestPort(), "/v1/event-types"),
                "{\"name\": \"order.created\", \"description\": \"An order was placed\", \"schema\": {\"type\":"
                        + " \"object\", \"required\": [\"amount\"], \"properties\": {\"amount\": {\"type\":"
                        + " \"number\"}}}}");
        for (int i = 0; i < EVENTS; i++) {
            send("order.created", "order-" + i);
        }
        send("shipment.sent", "shipment-1");
        await().atMost(WAIT).until(() -> deadLetters().size() == EVENTS);
        browser = new ConsoleBrowser("http://localhost:" + settings().consolePort(), profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (started != null) {
            started.close();
        }
    }

    @Test
    @Order(1)
    void logsInWithTheApiKeyAndFindsTheFailingSubscriptionAndWhy() {
        browser.open("/subscriptions");
        browser.type("#api-key", "cmp_not_a_key");
        browser.find("#login-submit").click();
        assertThat(browser.attribute("#login-message .problem", "data-code")).isEqualTo("unauthorized");

        browser.type("#api-key", TestStandalones.API_KEY);
        browser.find("#login-submit").click();
        String row = "tr[data-subscription='" + subscription + "']";
        browser.find(row);
        await().atMost(WAIT).untilAsserted(() -> {
            browser.refresh();
            assertThat(browser.text(row)).contains("500").contains("ACTIVE");
        });
        browser.screenshot("subscriptions");

        browser.find(row + " a.subscription").click();
        assertThat(browser.text("#circuit")).isEqualTo("CLOSED");
        assertThat(browser.text("#last-answer")).contains("500");
        assertThat(Integer.parseInt(browser.text("#failures"))).isPositive();
        browser.find("#delivery-log tr[data-delivery]");
        browser.screenshot("subscription");
    }

    @Test
    @Order(2)
    void replaysTheDeadLettersWithADryRunFirstAndWatchesTheReplayToTheEnd() {
        Set<String> deadWebhookIds = receiver.answered(PATH).stream()
                .map(call -> call.header("webhook-id"))
                .collect(Collectors.toSet());
        assertThat(deadWebhookIds).hasSize(EVENTS);
        browser.open("/subscriptions/" + subscription);
        browser.find("#dead-letters-link").click();
        await().atMost(WAIT).until(() -> browser.all("tr.dead-letter").size() == EVENTS);
        assertThat(browser.text("tr.dead-letter")).contains("exhausted").contains("500");

        browser.find("#dry-run").click();
        assertThat(browser.attribute("#dry-run-result", "data-matched")).isEqualTo(String.valueOf(EVENTS));
        assertThat(receiver.received(PATH)).as("a dry run sends nothing").hasSize(EVENTS * 3);
        assertThat(browser.text("#replay")).isEqualTo("Replay " + EVENTS);

        receiver.on(PATH, 204, Map.of());
        browser.type("#replay-rate", "2");
        browser.find("#replay").click();
        browser.find("#replay-progress");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(browser.attribute("#replay-counts", "data-state")));
        assertThat(browser.attribute("#replay-counts", "data-sent")).isEqualTo(String.valueOf(EVENTS));
        assertThat(browser.property("#replay-progress", "value"))
                .isEqualTo(browser.property("#replay-progress", "max"));
        browser.screenshot("dead-letters");

        await().atMost(WAIT)
                .until(() -> receiver.answered(PATH).stream()
                        .filter(call -> call.answeredWith() == 204)
                        .map(call -> call.header("webhook-id"))
                        .collect(Collectors.toSet())
                        .equals(deadWebhookIds));
    }

    @Test
    @Order(3)
    void showsTheEventTypeCatalog() {
        browser.open("/event-types");
        assertThat(browser.text("tr[data-event-type='order.created']")).contains("An order was placed");
        browser.find("tr[data-event-type='order.created'] summary").click();
        assertThat(browser.text("tr[data-event-type='order.created'] pre")).contains("\"amount\"");
        browser.screenshot("event-types");
    }

    @Test
    @Order(4)
    void showsAnInspectorBinLive() {
        browser.open("/inspector/" + BIN);
        await().atMost(WAIT).until(() -> browser.all(".bin-request").size() == 1);
        assertThat(browser.text(".bin-request")).contains("verified").contains("shipment-1");

        send("shipment.sent", "shipment-2");
        await().atMost(WAIT).until(() -> browser.all(".bin-request").size() == 2);
        assertThat(browser.text(".bin-request")).as("newest first").contains("shipment-2");
        browser.screenshot("inspector");
    }

    @Test
    @Order(5)
    void opensAFailedDeliveryWithItsAttemptsAndTheEndpointsAnswer() {
        browser.open("/subscriptions/" + subscription);
        browser.find("#stats svg.chart[aria-label='Delivery rate'] path.series-1");
        browser.screenshot("subscription-with-history", "#stats");
        WebElement link = browser.find("#delivery-log tr[data-delivery] a.delivery");
        String delivery = link.getText();
        link.click();
        await().atMost(WAIT).until(() -> browser.all("tr.attempt").size() >= 3);
        assertThat(browser.text("tr.attempt .attempt-status")).isIn("500", "204");
        assertThat(browser.text("#payload")).contains("order-");
        assertThat(browser.text("#delivery-status")).matches("(?i)delivered|dead");
        assertThat(browser.text("section.card")).as("the delivery's own fields").contains(subscription);
        browser.screenshot("delivery");

        long sentBefore = sentWith(delivery);
        browser.find("#redeliver").click();
        browser.findWithText(".notice", "Sent again");
        await("redeliver sends it again, with the same webhook-id")
                .atMost(WAIT)
                .until(() -> sentWith(delivery) == sentBefore + 1);
    }

    private static long sentWith(String webhookId) {
        return receiver.answered(PATH).stream()
                .filter(call -> webhookId.equals(call.header("webhook-id")))
                .count();
    }

    private static StandaloneSettings settings() {
        return started.settings();
    }

    private static String url(int port, String path) {
        return "http://localhost:" + port + path;
    }

    private static String subscribe(String target, String types) {
        Api.Response created = api.post(
                url(settings().subscriptionsPort(), "/v1/subscriptions"),
                "{\"url\": \"" + target + "\", \"eventTypes\": [\"" + types + "\"], \"activate\": true}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").stringValue();
    }

    private static void send(String type, String subject) {
        assertThat(api.post(
                                url(settings().ingestPort(), "/v1/events"),
                                "{\"type\": \"" + type + "\", \"subject\": \"" + subject
                                        + "\", \"data\": {\"amount\": 150}}")
                        .status())
                .isEqualTo(202);
    }

    private static List<JsonNode> deadLetters() {
        JsonNode items = api.get(url(settings().retryPort(), "/v1/dead-letters?subscription=" + subscription))
                .body()
                .get("items");
        List<JsonNode> found = new java.util.ArrayList<>();
        if (items != null) {
            items.forEach(found::add);
        }
        return found;
    }
}
