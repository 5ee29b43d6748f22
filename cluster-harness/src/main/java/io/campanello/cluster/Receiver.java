package io.campanello.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on {@code 127.0.0.1} for cluster tests: answers every POST 204 (optionally after a delay, or 503
 * to the first request of each webhook-id, for every path or for some) and counts, per path, how many times each
 * {@code webhook-id} arrived and was answered 2xx (with when it was first), so a test can tell lost deliveries from
 * duplicates, and the most requests that were open at once.
 */
public final class Receiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Delivered>> delivered = new ConcurrentHashMap<>();
    private final Map<String, Duration> delayAt = new ConcurrentHashMap<>();
    private final Set<String> failFirstAttemptAt = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean failFirstAttempt;

    private Receiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A webhook-id answered 2xx: how many times, and when first ({@link System#nanoTime()}). */
    public record Delivered(int count, long firstNanos) {}

    /** Starts a receiver on a free port (8 threads: at most 8 requests are answered at once). */
    public static Receiver start() {
        return start(8);
    }

    /** Starts a receiver on a free port answering up to {@code threads} requests at once. */
    public static Receiver start(int threads) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            Receiver receiver = new Receiver(server, Executors.newFixedThreadPool(threads));
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a receiver", e);
        }
    }

    /** The URL of {@code path} (starting with {@code /}) on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many times each webhook-id arrived at {@code path}. */
    public Map<String, Integer> countsByWebhookId(String path) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        received.getOrDefault(path, Map.of()).forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }

    /** The webhook-ids answered 2xx at {@code path}: how many times each, and when first. */
    public Map<String, Delivered> deliveredAt(String path) {
        return Map.copyOf(delivered.getOrDefault(path, Map.of()));
    }

    /** Answers to {@code path} come after this delay (an endpoint that hangs); zero for none. */
    public Receiver delayAt(String path, Duration delay) {
        delayAt.put(path, delay);
        return this;
    }

    /** The first request of each webhook-id at {@code path} is answered 503: each delivery there is retried once. */
    public Receiver failFirstAttemptAt(String path) {
        failFirstAttemptAt.add(path);
        return this;
    }

    /** Every answer comes after this delay (at most 8 requests are answered at once). */
    public Receiver delayEach(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** The first request of each webhook-id is answered 503, its later ones 204: every delivery is retried once. */
    public Receiver failFirstAttempt() {
        this.failFirstAttempt = true;
        return this;
    }

    /** The most requests to {@code path} that were waiting for their answers at once. */
    public int mostAtOnce(String path) {
        AtomicInteger most = mostOpen.get(path);
        return most == null ? 0 : most.get();
    }

    /** How many different webhook-ids arrived at {@code path}. */
    public int distinct(String path) {
        return received.getOrDefault(path, Map.of()).size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            AtomicInteger openHere = open.computeIfAbsent(path, p -> new AtomicInteger());
            mostOpen.computeIfAbsent(path, p -> new AtomicInteger())
                    .accumulateAndGet(openHere.incrementAndGet(), Math::max);
            int seen = 0;
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            try {
                if (id != null) {
                    seen = received.computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                            .computeIfAbsent(id, key -> new AtomicInteger())
                            .incrementAndGet();
                }
                Duration wait = delayAt.getOrDefault(path, delay);
                if (!wait.isZero()) {
                    Thread.sleep(wait.toMillis()); // the endpoint's own answer time, not a test waiting for luck
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // No longer open once the answer starts: the caller's next request may follow at once.
                openHere.decrementAndGet();
            }
            boolean fail = (failFirstAttempt || failFirstAttemptAt.contains(path)) && seen == 1;
            if (!fail && id != null) {
                long now = System.nanoTime();
                delivered
                        .computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                        .merge(
                                id,
                                new Delivered(1, now),
                                (was, again) -> new Delivered(was.count() + 1, was.firstNanos()));
            }
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
