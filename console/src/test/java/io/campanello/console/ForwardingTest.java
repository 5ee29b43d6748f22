package io.campanello.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The console over real HTTP in front of a real HTTP "service": what the browser sends arrives unchanged (key, query,
 * body), what the service answers comes back unchanged, and a missing or silent service is a clear problem.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + ConsoleApplication.CONFIG_NAME)
@AutoConfigureWebTestClient
class ForwardingTest {

    static DisposableServer service;
    static final Map<String, String> seen = new ConcurrentHashMap<>();
    static int closedPort;

    @Autowired
    WebTestClient console;

    @BeforeAll
    static void startService() throws Exception {
        service = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post(
                                "/v1/replays",
                                (request, response) -> request.receive()
                                        .aggregate()
                                        .asString()
                                        .flatMap(body -> {
                                            seen.put(
                                                    "authorization",
                                                    request.requestHeaders().get("Authorization"));
                                            seen.put("body", body);
                                            return response.status(202)
                                                    .header("Content-Type", "application/json")
                                                    .header("Location", "/v1/replays/rpl_1")
                                                    .sendString(Mono.just("{\"id\":\"rpl_1\"}"))
                                                    .then();
                                        }))
                        .get("/v1/subscriptions", (request, response) -> {
                            seen.put("query", request.uri());
                            seen.put("authorization", request.requestHeaders().get("Authorization"));
                            return response.status(401)
                                    .header("Content-Type", "application/problem+json")
                                    .sendString(Mono.just("{\"status\":401,\"code\":\"unauthorized\"}"));
                        })
                        .get(
                                "/bins/demo/requests",
                                (request, response) -> response.header("Content-Type", "application/json")
                                        .sendString(Mono.just("[]"))))
                .bindNow();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopService() {
        service.disposeNow(Duration.ofSeconds(5));
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + service.port();
        registry.add("campanello.console.services.subscriptions", () -> base);
        registry.add("campanello.console.services.ingest", () -> "http://127.0.0.1:" + closedPort);
        registry.add("campanello.console.services.retry", () -> base + "/");
        registry.add("campanello.console.services.inspector", () -> base);
    }

    @Test
    void passesTheKeyTheBodyAndTheAnswerThroughUnchanged() {
        console.post()
                .uri("/v1/replays")
                .header("Authorization", "Bearer cmp_secret")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"dryRun\":true}")
                .exchange()
                .expectStatus()
                .isEqualTo(202)
                .expectHeader()
                .location("/v1/replays/rpl_1")
                .expectBody()
                .json("{\"id\":\"rpl_1\"}");

        assertThat(seen).containsEntry("authorization", "Bearer cmp_secret").containsEntry("body", "{\"dryRun\":true}");
    }

    @Test
    void keepsTheQueryAndTheServicesOwnErrors() {
        console.get()
                .uri("/v1/subscriptions?status=ACTIVE&x={x}", "a b")
                .header("Authorization", "Bearer wrong")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unauthorized");

        assertThat(seen).containsEntry("query", "/v1/subscriptions?status=ACTIVE&x=a%20b");
    }

    @Test
    void aServiceThatDoesNotAnswerIsABadGatewayProblem() {
        console.get()
                .uri("/v1/event-types")
                .exchange()
                .expectStatus()
                .isEqualTo(502)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("service_unavailable")
                .jsonPath("$.detail")
                .isEqualTo("the ingest service did not answer");
    }

    @Test
    void anUnconfiguredHistoryIsANotFoundProblemThePagesRecognise() {
        console.get()
                .uri("/v1/subscriptions/sub_1/deliveries?status=dead")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("service_not_configured");
    }

    @Test
    void reachesTheInspectorsBins() {
        console.get()
                .uri("/inspector/bins/demo/requests")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("[]");
    }

    @Test
    void answersAnUnknownApiPathWithAProblem() {
        console.get()
                .uri("/v1/tenants")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("not_found");
    }

    @Test
    void servesThePagesFromTheJarWithAStrictContentSecurityPolicy() {
        console.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Content-Security-Policy", PageHeaders.CONTENT_SECURITY_POLICY)
                .expectBody(String.class)
                .value(html -> assertThat(html).contains("<script type=\"module\" src=\"js/app.js\"></script>"));
        console.get().uri("/js/api.js").exchange().expectStatus().isOk();
    }
}
