package io.campanello.standalone;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The benchmark's endpoints: one HTTP server on 127.0.0.1 whose behaviour is scripted by the first path segment,
 * {@code /<class>/<n>}: {@code fast} answers 200 at once, {@code slow-<ms>} answers 200 after that many
 * milliseconds, {@code hang} never answers (the caller's timeout ends the request), {@code error} answers 500,
 * {@code reset} resets the connection. Each request is recorded with the time it arrived (when its body was read),
 * its {@code webhook-id} and the event id in its body; the first request of each {@code webhook-id} is marked.
 */
final class BenchReceiver implements AutoCloseable {

    /** One request as it arrived. {@code first}: the first request with this webhook-id since the last reset. */
    record Receipt(String endpointClass, String path, String webhookId, String eventId, long nanos, boolean first) {}

    private static final String EVENT_ID_FIELD = "\"id\":\"";
    private static final int EVENT_ID_LENGTH = 4 + 24; // evt_ and 24 hex digits

    private final LoopResources loops = LoopResources.create("bench-receiver", 2, true);
    private final DisposableServer server;
    private volatile Map<String, Boolean> seen = new ConcurrentHashMap<>(1 << 20);
    private volatile ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicLong healthyFirsts = new AtomicLong();

    BenchReceiver() {
        server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .handle(this::receive)
                .bindNow(Duration.ofSeconds(10));
    }

    /** Whether endpoints of this class answer 2xx. */
    static boolean healthy(String endpointClass) {
        return endpointClass.equals("fast") || endpointClass.startsWith("slow-");
    }

    String url(String endpointClass, int n) {
        return "http://127.0.0.1:" + server.port() + "/" + endpointClass + "/" + n;
    }

    /** Requests each path has had, ever. */
    long requests(String path) {
        AtomicLong count = requestsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** First receipts at endpoints that answer 2xx since the last reset: what the senders' backlog cap watches. */
    long healthyFirsts() {
        return healthyFirsts.get();
    }

    /** Forgets every receipt (not the per-path request counts). */
    void reset() {
        seen = new ConcurrentHashMap<>(1 << 20);
        receipts = new ConcurrentLinkedQueue<>();
        healthyFirsts.set(0);
    }

    List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
        String path = request.path(); // without the leading slash
        int slash = path.indexOf('/');
        String endpointClass = slash < 0 ? path : path.substring(0, slash);
        String webhookId = request.requestHeaders().get("webhook-id");
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            long now = System.nanoTime();
            record(endpointClass, "/" + path, webhookId, eventId(body), now);
            if (endpointClass.equals("fast")) {
                return ok(response);
            }
            if (endpointClass.startsWith("slow-")) {
                long millis = Long.parseLong(endpointClass.substring("slow-".length()));
                return Mono.delay(Duration.ofMillis(millis)).then(ok(response));
            }
            switch (endpointClass) {
                case "hang":
                    return Mono.never();
                case "error":
                    return response.status(500)
                            .header("content-length", "0")
                            .send()
                            .then();
                case "reset":
                    request.withConnection(connection -> {
                        connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                        connection.channel().close();
                    });
                    return Mono.never();
                default:
                    return response.status(404)
                            .header("content-length", "0")
                            .send()
                            .then();
            }
        });
    }

    private static Mono<Void> ok(HttpServerResponse response) {
        return response.status(200).header("content-length", "0").send().then();
    }

    private void record(String endpointClass, String path, String webhookId, String eventId, long nanos) {
        requestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        boolean first = webhookId != null && seen.putIfAbsent(webhookId, Boolean.TRUE) == null;
        if (first && healthy(endpointClass)) {
            healthyFirsts.incrementAndGet();
        }
        receipts.add(new Receipt(endpointClass, path, webhookId, eventId, nanos, first));
    }

    /** The event id of a CloudEvents JSON body ({@code {"specversion":"1.0","id":"evt_…",…}}), or null. */
    private static String eventId(String body) {
        int at = body.indexOf(EVENT_ID_FIELD);
        if (at < 0 || at + EVENT_ID_FIELD.length() + EVENT_ID_LENGTH > body.length()) {
            return null;
        }
        int start = at + EVENT_ID_FIELD.length();
        return body.substring(start, start + EVENT_ID_LENGTH);
    }

    @Override
    public void close() {
        try {
            server.disposeNow(Duration.ofSeconds(5));
        } catch (IllegalStateException hangingConnections) {
            // the hanging endpoints' connections may still be open; the loops' disposal closes them
        }
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
