package io.campanello.standalone;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local receiver for trying Campanello out: it answers 204 to any POST, prints one line per request, and shows
 * the last requests it received (headers and body) as JSON at {@code GET /requests}.
 */
final class Inspector implements AutoCloseable {

    private static final int KEPT = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Deque<Map<String, Object>> received = new ArrayDeque<>();
    // Its own event loop: reactor-netty's global one is disposed when a service context in this JVM closes.
    private final LoopResources loops = LoopResources.create("inspector", 1, true);
    private final DisposableServer server;

    private Inspector(int port) {
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.get("/requests", (request, response) -> list(response))
                        .post("/**", this::receive))
                .bindNow(Duration.ofSeconds(10));
    }

    static Inspector start(int port) {
        return new Inspector(port);
    }

    int port() {
        return server.port();
    }

    private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("receivedAt", Instant.now().toString());
                    entry.put("method", request.method().name());
                    entry.put("path", request.uri());
                    entry.put("headers", headers);
                    entry.put("body", new String(body, StandardCharsets.UTF_8));
                    synchronized (received) {
                        received.addFirst(entry);
                        if (received.size() > KEPT) {
                            received.removeLast();
                        }
                    }
                    System.out.printf(
                            "inspector: %s %s webhook-id=%s webhook-signature=%s%n",
                            request.method().name(),
                            request.uri(),
                            headers.get("webhook-id"),
                            headers.get("webhook-signature"));
                    return response.status(204).send();
                });
    }

    private Mono<Void> list(HttpServerResponse response) {
        List<Map<String, Object>> snapshot;
        synchronized (received) {
            snapshot = List.copyOf(received);
        }
        return response.header("content-type", "application/json")
                .sendString(Mono.just(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(snapshot) + "\n"))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
