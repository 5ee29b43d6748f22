package io.campanello.standalone;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local receiver to try subscriptions with before going live (a RequestBin): {@code POST /bins} creates a bin
 * whose URL a subscription can point at; each request it receives is kept with its headers, body and whether its
 * signature verified with the subscription's secret, shown as JSON ({@code GET /bins/{id}/requests}) and as a page
 * ({@code GET /bins/{id}}). A bin is also made by its first request ({@code /bins/demo}). Every request is answered
 * 204 and also listed at {@code GET /requests}.
 */
final class Inspector implements AutoCloseable {

    private static final int KEPT = 100;
    private static final String ALL = "requests";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern BIN_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,40}");

    // Its own event loop: reactor-netty's global one is disposed when a service context in this JVM closes.
    private final LoopResources loops = LoopResources.create("inspector", 1, true);
    private final Map<String, Deque<ReceivedRequest>> bins = new ConcurrentHashMap<>();
    private final SignatureChecker signatures;
    private final DisposableServer server;

    private Inspector(int port, SignatureChecker signatures) {
        this.signatures = signatures;
        bins.put(ALL, new ArrayDeque<>());
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.post("/bins", (request, response) -> createBin(response))
                        .get("/bins/{id}/requests", (request, response) -> json(response, listOf(request.param("id"))))
                        .get("/bins/{id}", this::page)
                        .get("/requests", (request, response) -> json(response, listOf(ALL)))
                        .post("/**", this::receive))
                .bindNow(Duration.ofSeconds(10));
    }

    static Inspector start(int port, SignatureChecker signatures) {
        return new Inspector(port, signatures);
    }

    int port() {
        return server.port();
    }

    private Mono<Void> createBin(HttpServerResponse response) {
        String id = "bin_" + HexFormat.of().formatHex(randomBytes());
        bins.put(id, new ArrayDeque<>());
        String base = "http://localhost:" + port() + "/bins/" + id;
        Map<String, String> bin = new LinkedHashMap<>();
        bin.put("id", id);
        bin.put("url", base);
        bin.put("requests", base + "/requests");
        bin.put("page", base);
        return response.status(201)
                .header("content-type", "application/json")
                .sendString(Mono.just(JSON.writeValueAsString(bin)))
                .then();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .publishOn(Schedulers.boundedElastic())
                .flatMap(body -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    request.requestHeaders()
                            .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                    ReceivedRequest received = new ReceivedRequest(
                            Instant.now().toString(),
                            request.method().name(),
                            request.uri(),
                            headers,
                            new String(body, StandardCharsets.UTF_8),
                            signatures.check(path, headers, body));
                    keep(ALL, received);
                    String bin = binOf(path);
                    if (bin != null) {
                        keep(bin, received);
                    }
                    System.out.printf(
                            "inspector: %s %s webhook-id=%s signature=%s%n",
                            received.method(),
                            received.path(),
                            headers.get("webhook-id"),
                            received.signature() == null
                                    ? "none"
                                    : received.signature().verified() ? "verified" : "NOT verified");
                    return response.status(204).send();
                });
    }

    /** The bin of a path {@code /bins/<name>…}; a bin is also created by its first request, so any name works. */
    private String binOf(String path) {
        if (!path.startsWith("/bins/")) {
            return null;
        }
        String rest = path.substring("/bins/".length());
        String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        if (id.equals(ALL) || !BIN_NAME.matcher(id).matches()) {
            return null;
        }
        bins.computeIfAbsent(id, name -> new ArrayDeque<>());
        return id;
    }

    private void keep(String bin, ReceivedRequest received) {
        Deque<ReceivedRequest> requests = bins.get(bin);
        synchronized (requests) {
            requests.addFirst(received);
            if (requests.size() > KEPT) {
                requests.removeLast();
            }
        }
    }

    private List<ReceivedRequest> listOf(String bin) {
        Deque<ReceivedRequest> requests = bins.get(bin);
        if (requests == null) {
            return null;
        }
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private Mono<Void> json(HttpServerResponse response, List<ReceivedRequest> requests) {
        if (requests == null) {
            return response.status(404).send();
        }
        return response.header("content-type", "application/json")
                .sendString(Mono.just(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(requests) + "\n"))
                .then();
    }

    private Mono<Void> page(HttpServerRequest request, HttpServerResponse response) {
        String id = request.param("id");
        List<ReceivedRequest> requests = listOf(id);
        if (requests == null || ALL.equals(id)) {
            return response.status(404).send();
        }
        String url = "http://localhost:" + port() + "/bins/" + id;
        return response.header("content-type", "text/html; charset=utf-8")
                .sendString(Mono.just(InspectorPage.of(id, url, requests)))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
