package io.campanello.standalone;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/** A real HTTP receiver on 127.0.0.1 whose answers are scripted: the next statuses in order, then a default. */
final class TestReceiver implements AutoCloseable {

    /** One request as the receiver saw it. */
    record Received(String path, Map<String, String> headers, byte[] body, int answeredWith) {

        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int defaultStatus = 204;
    // Its own event loop: reactor-netty's global one is disposed when a service context in this JVM closes.
    private final LoopResources loops = LoopResources.create("receiver", 1, true);
    private final DisposableServer server;

    TestReceiver() {
        server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .handle(this::receive)
                .bindNow(Duration.ofSeconds(10));
    }

    /** The next requests are answered with these statuses, in order. */
    synchronized TestReceiver thenAnswer(int... statuses) {
        for (int status : statuses) {
            script.addLast(status);
        }
        return this;
    }

    /** Every request beyond the script is answered with this status. */
    TestReceiver alwaysAnswer(int status) {
        defaultStatus = status;
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private synchronized int nextStatus() {
        Integer next = script.pollFirst();
        return next != null ? next : defaultStatus;
    }

    private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
                    int status = nextStatus();
                    received.add(new Received(request.uri(), headers, body, status));
                    return response.status(status)
                            .header("x-request-id", "req-" + received.size())
                            .header("content-type", "text/plain")
                            .sendString(Mono.just("answered " + status))
                            .then();
                });
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
