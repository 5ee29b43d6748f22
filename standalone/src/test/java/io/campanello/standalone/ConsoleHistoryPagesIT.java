package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanello.console.ConsoleApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The console's history pages in the browser against a stand-in history that answers in the shape docs/console.md
 * describes (the real history service is built elsewhere): the rate and latency pictures are drawn, a delivery shows
 * every attempt with the endpoint's answer and the payload, and redeliver calls the history.
 */
class ConsoleHistoryPagesIT {

    private static final String DELIVERY = "dlv_0001";

    @TempDir
    static Path profile;

    static DisposableServer history;
    static ConfigurableApplicationContext console;
    static ConsoleBrowser browser;
    static final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(ConsoleBrowser.DRIVER) && Files.isExecutable(ConsoleBrowser.CHROMIUM),
                "no /usr/bin/chromedriver or /usr/bin/chromium: install Debian's chromium and chromium-driver");
        history = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get(
                                "/v1/subscriptions/sub_1/stats", (request, response) -> json(response, stats()))
                        .get("/v1/subscriptions/sub_1/deliveries", (request, response) -> json(response, log()))
                        .get("/v1/deliveries/" + DELIVERY, (request, response) -> json(response, delivery()))
                        .post("/v1/deliveries/" + DELIVERY + "/redeliver", (request, response) -> {
                            calls.add(request.requestHeaders().get("Authorization"));
                            return response.status(202).send();
                        })
                        .get("/v1/subscriptions", (request, response) -> json(response, "[]"))
                        .get("/v1/subscriptions/sub_1", (request, response) -> json(response, """
                                {"id": "sub_1", "url": "https://example.com/hooks", "eventTypes": ["order.*"],
                                 "status": "ACTIVE", "revision": 1}"""))
                        .get("/v1/subscriptions/sub_1/health", (request, response) -> json(response, """
                                {"subscriptionId": "sub_1", "status": "ACTIVE", "circuit": "OPEN",
                                 "consecutiveFailures": 4, "lastStatus": 500,
                                 "waiting": {"inFlight": 0, "queued": 1, "deferred": 2, "retrying": 3, "parked": false}}""")))
                .bindNow();
        String base = "http://127.0.0.1:" + history.port();
        console = ConsoleApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.autoconfigure.exclude=io.campanello.api.ApiAutoConfiguration,"
                                + "io.campanello.kafka.CampanelloKafkaAutoConfiguration,"
                                + "io.campanello.kafka.ConsumerLivenessAutoConfiguration,"
                                + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration,"
                                + "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration",
                        "--springdoc.api-docs.enabled=false",
                        "--campanello.console.services.subscriptions=" + base,
                        "--campanello.console.services.ingest=" + base,
                        "--campanello.console.services.retry=" + base,
                        "--campanello.console.services.history=" + base);
        String port = console.getEnvironment().getProperty("local.server.port");
        browser = new ConsoleBrowser("http://localhost:" + port, profile);
        browser.open("/login");
        browser.type("#api-key", "cmp_key");
        browser.find("#login-submit").click();
        browser.find("#nav");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (history != null) {
            history.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void drawsTheRatesAndLatencyPercentilesAndListsTheLog() {
        browser.open("/subscriptions/sub_1");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> browser.all("#stats svg.chart").size() == 4);
        assertThat(browser.text("#success-rate")).isEqualTo("75.0 %");
        assertThat(browser.all("#stats svg.chart path.series-0")).hasSize(2);
        assertThat(browser.all("#stats svg.chart rect.bar")).hasSize(3 + 2);
        assertThat(browser.text("#delivery-log tr[data-delivery='" + DELIVERY + "']"))
                .contains("dead")
                .contains("order.created");
        browser.screenshot("subscription-with-history");
    }

    @Test
    void showsADeliveryWithEveryAttemptAndTheEndpointsAnswerAndRedelivers() {
        browser.open("/deliveries/" + DELIVERY);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> browser.all("tr.attempt").size() == 2);
        assertThat(browser.text("tr.attempt"))
                .contains("500")
                .contains("upstream down")
                .contains("120 ms");
        assertThat(browser.text("#payload")).contains("order-42");

        browser.find("#redeliver").click();
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.contains("Bearer cmp_key"));
        browser.screenshot("delivery");
    }

    private static Mono<Void> json(reactor.netty.http.server.HttpServerResponse response, String body) {
        return response.header("Content-Type", "application/json")
                .sendString(Mono.just(body))
                .then();
    }

    private static String stats() {
        Instant now = Instant.now();
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            series.append(i == 0 ? "" : ",")
                    .append("{\"start\": \"")
                    .append(now.minusSeconds(600L * (6 - i)))
                    .append("\", \"total\": ")
                    .append(10 + i * 3)
                    .append(", \"failed\": ")
                    .append(i % 3)
                    .append('}');
        }
        return """
                {"successRate": 0.75, "latency": {"p50": 40, "p90": 120, "p99": 480},
                 "volume": {"delivered": 30, "dead": 3}, "series": [%s]}""".formatted(series);
    }

    private static String log() {
        return """
                {"items": [{"id": "%s", "subscriptionId": "sub_1", "eventId": "evt_1", "eventType": "order.created",
                  "status": "dead", "attempts": 2, "lastStatus": 500}], "nextCursor": null}""".formatted(DELIVERY);
    }

    private static String delivery() {
        return """
                {"id": "%s", "subscriptionId": "sub_1", "eventId": "evt_1", "eventType": "order.created",
                 "status": "dead",
                 "attempts": [
                   {"attempt": 1, "at": "2026-11-28T10:00:00Z", "status": 500, "durationMillis": 120,
                    "responseHeaders": {"content-type": "text/plain"}, "responseBody": "upstream down"},
                   {"attempt": 2, "at": "2026-11-28T10:00:05Z", "error": "connect timed out", "durationMillis": 3000}],
                 "payload": {"type": "order.created", "subject": "order-42", "data": {"amount": 150}}}""".formatted(DELIVERY);
    }
}
