package io.campanello.standalone;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP receiver on 127.0.0.1 whose answers are scripted per path: a path's next scripted statuses in order,
 * else what the path always answers (a status with headers, or no answer at all), else a default; optionally each
 * answer after a delay. One path's script never answers another path's request.
 */
final class TestReceiver implements AutoCloseable {

    /** One request as the receiver saw it. */
    record Received(String path, Map<String, String> headers, byte[] body, int answeredWith, long atNanos) {

        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> firstAttemptOf = new ConcurrentHashMap<>();
    private final Set<String> seenWebhookIds = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> answered = new CopyOnWriteArrayList<>();
    private volatile int defaultStatus = 204;
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, Answer> byPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> openByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpenByPath = new ConcurrentHashMap<>();

    /** What a path answers; a null status never answers (the caller's timeout ends the call). */
    private record Answer(Integer status, Map<String, String> headers) {}
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

    /** The next requests to this path are answered with these statuses, in order. */
    synchronized TestReceiver thenAnswer(String path, int... statuses) {
        Deque<Integer> script = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
        for (int status : statuses) {
            script.addLast(status);
        }
        return this;
    }

    /**
     * The first request of each webhook-id to this path is answered with this status, its later ones as any other
     * request: every delivery fails once, however its attempts interleave with other deliveries'.
     */
    TestReceiver failFirstAttempt(String path, int status) {
        firstAttemptOf.put(path, status);
        return this;
    }

    /** Every request to a path without a script or an answer of its own is answered with this status. */
    TestReceiver alwaysAnswer(int status) {
        defaultStatus = status;
        return this;
    }

    /** Requests to this path are answered with this status and these headers. */
    TestReceiver on(String path, int status, Map<String, String> headers) {
        byPath.put(path, new Answer(status, headers));
        return this;
    }

    /** Requests to this path are read and recorded but never answered. */
    TestReceiver hang(String path) {
        byPath.put(path, new Answer(null, Map.of()));
        return this;
    }

    /** Every answer comes after this delay (the request is recorded when it arrives). */
    TestReceiver delayEach(Duration delay) {
        this.delay = delay;
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

    /**
     * The requests to this path whose answer was completely written: what the caller can have seen as delivered (a
     * request recorded by {@link #received} may have been cut off before its answer).
     */
    List<Received> answered(String path) {
        return answered.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The most requests to this path that were ever waiting for their answers at once. */
    int mostAtOnce(String path) {
        AtomicInteger most = mostOpenByPath.get(path);
        return most == null ? 0 : most.get();
    }

    /** Counts a request to this path as open; the returned action closes it (once, however often it runs). */
    private Runnable answering(String path) {
        AtomicInteger open = openByPath.computeIfAbsent(path, p -> new AtomicInteger());
        int now = open.incrementAndGet();
        mostOpenByPath.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
    }

    private synchronized int nextStatus(String path, Map<String, String> headers) {
        Deque<Integer> script = scripts.get(path);
        Integer next = script == null ? null : script.pollFirst();
        if (next != null) {
            return next;
        }
        Integer firstAttempt = firstAttemptOf.get(path);
        String webhookId = headers.get("webhook-id");
        if (firstAttempt != null && webhookId != null && seenWebhookIds.add(path + " " + webhookId)) {
            return firstAttempt;
        }
        Answer answer = byPath.get(path);
        return answer != null ? answer.status() : defaultStatus;
    }

    private Mono<Void> receive(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
                    Answer answer = byPath.get(request.uri());
                    if (answer != null && answer.status() == null) {
                        received.add(new Received(request.uri(), headers, body, 0, System.nanoTime()));
                        return Mono.<Void>never();
                    }
                    int status = nextStatus(request.uri(), headers);
                    Received call = new Received(request.uri(), headers, body, status, System.nanoTime());
                    received.add(call);
                    Runnable answering = answering(request.uri());
                    if (answer != null) {
                        answer.headers().forEach(response::header);
                    }
                    return Mono.delay(delay)
                            // No longer open once the answer starts: the caller may send its next request as soon
                            // as it has read this answer, before this pipeline ends.
                            .then(Mono.<Void>fromRunnable(answering))
                            .then(response.status(status)
                                    .header("x-request-id", "req-" + received.size())
                                    .header("content-type", "text/plain")
                                    .sendString(Mono.just("answered " + status))
                                    .then())
                            .then(Mono.<Void>fromRunnable(() -> answered.add(call)))
                            .doFinally(signal -> answering.run());
                });
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
