package io.campanello.bench.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The one receiver every path delivers to, in its own JVM so that its CPU is counted apart: reactor-netty on
 * 127.0.0.1, answering 200 at once to any POST. The path is the endpoint ({@code /raw}, {@code /naive},
 * {@code /fan/7}, …); the body carries {@code "seq":<n>} and {@code "sentNanos":<System.nanoTime() at send>}, so
 * the receiver records per endpoint which records arrived, how often, and the latency from the producer's send
 * (both processes read the same monotonic clock on Linux). Control: {@code POST /_reset?phase=&n=} (a new phase:
 * records 0..n-1 whose {@code "phase"} is that number; others are counted as stale and otherwise ignored), {@code GET /_count?prefix=}, {@code GET /_stats?prefix=}. Prints {@code port <n>} when ready.
 */
public final class PeersReceiver {

    /** What one endpoint received in this phase: arrival time per record (0: not yet) and its latency. */
    private record Endpoint(
            AtomicLongArray arrivedAt, AtomicLongArray latency, AtomicLong distinct, AtomicLong duplicates) {
        Endpoint(int n) {
            this(new AtomicLongArray(n), new AtomicLongArray(n), new AtomicLong(), new AtomicLong());
        }
    }

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private volatile int n = 1;
    private volatile long phase;

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        PeersReceiver receiver = new PeersReceiver();
        DisposableServer server = HttpServer.create()
                .runOn(LoopResources.create("receiver", 2, true))
                .host("127.0.0.1")
                .port(port)
                .handle(receiver::handle)
                .bindNow(Duration.ofSeconds(10));
        System.out.println("port " + server.port());
        server.onDispose().block();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        if (path.startsWith("/_")) {
            return response.sendString(Mono.fromSupplier(() -> control(path, request.uri())))
                    .then();
        }
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            record(path, body, System.nanoTime());
            return response.status(200).header("content-length", "0").send().then();
        });
    }

    private void record(String path, String body, long now) {
        if (number(body, "\"phase\":") != phase) {
            stale.incrementAndGet();
            return;
        }
        long seq = number(body, "\"seq\":");
        long sent = number(body, "\"sentNanos\":");
        int size = n;
        if (seq < 0 || seq >= size || sent < 0) {
            unreadable.incrementAndGet();
            return;
        }
        Endpoint endpoint = endpoints.computeIfAbsent(path, p -> new Endpoint(size));
        if (endpoint.arrivedAt().compareAndSet((int) seq, 0, now)) {
            endpoint.latency().set((int) seq, now - sent);
            endpoint.distinct().incrementAndGet();
        } else {
            endpoint.duplicates().incrementAndGet();
        }
    }

    private String control(String path, String uri) {
        String prefix = parameter(uri, "prefix");
        switch (path) {
            case "/_reset":
                phase = -1; // nothing is recorded while the endpoints are replaced
                endpoints.clear();
                unreadable.set(0);
                stale.set(0);
                n = Integer.parseInt(parameter(uri, "n"));
                phase = Long.parseLong(parameter(uri, "phase"));
                return "ok\n";
            case "/_count":
                return count(prefix) + "\n";
            case "/_stats":
                return stats(prefix);
            default:
                return "unknown\n";
        }
    }

    private long count(String prefix) {
        long count = 0;
        for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                count += e.getValue().distinct().get();
            }
        }
        return count;
    }

    /**
     * One line per endpoint ({@code endpoint <path> distinct <d> duplicates <d>}), then {@code total} with the
     * latency percentiles (µs) and the arrival times (ns) at the 10th and 90th percentile of arrivals.
     */
    private String stats(String prefix) {
        StringBuilder out = new StringBuilder();
        List<long[]> latencies = new ArrayList<>();
        List<long[]> arrivals = new ArrayList<>();
        long duplicates = 0;
        for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            Endpoint endpoint = e.getValue();
            long[] arrived = new long[endpoint.arrivedAt().length()];
            long[] latency = new long[arrived.length];
            int distinct = 0;
            for (int i = 0; i < arrived.length; i++) {
                long at = endpoint.arrivedAt().get(i);
                if (at != 0) {
                    arrived[distinct] = at;
                    latency[distinct++] = endpoint.latency().get(i);
                }
            }
            latencies.add(Arrays.copyOf(latency, distinct));
            arrivals.add(Arrays.copyOf(arrived, distinct));
            duplicates += endpoint.duplicates().get();
            out.append("endpoint ").append(e.getKey()).append(" distinct ").append(distinct)
                    .append(" duplicates ").append(endpoint.duplicates().get()).append('\n');
        }
        long[] latency = sorted(latencies);
        long[] arrived = sorted(arrivals);
        out.append("total distinct ").append(latency.length)
                .append(" duplicates ").append(duplicates)
                .append(" unreadable ").append(unreadable.get())
                .append(" stale ").append(stale.get())
                .append(" p50us ").append(percentile(latency, 50) / 1_000)
                .append(" p99us ").append(percentile(latency, 99) / 1_000)
                .append(" maxus ").append(percentile(latency, 100) / 1_000)
                .append(" t10 ").append(percentile(arrived, 10))
                .append(" t90 ").append(percentile(arrived, 90))
                .append(" last ").append(percentile(arrived, 100))
                .append('\n');
        return out.toString();
    }

    private static long[] sorted(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private static long percentile(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The non-negative integer after {@code field} in a JSON text, or -1. */
    static long number(String body, String field) {
        int at = body.indexOf(field);
        if (at < 0) {
            return -1;
        }
        int i = at + field.length();
        while (i < body.length() && body.charAt(i) == ' ') {
            i++;
        }
        long value = 0;
        int start = i;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            value = value * 10 + (body.charAt(i++) - '0');
        }
        return i == start ? -1 : value;
    }

    private static String parameter(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return "";
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }
}
