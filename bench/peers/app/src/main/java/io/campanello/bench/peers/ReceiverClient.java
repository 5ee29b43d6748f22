package io.campanello.bench.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** Talks to the {@link PeersReceiver}'s control endpoints. */
final class ReceiverClient {

    /** What the receiver counted for one path in one phase; latencies in µs, arrival times in ns. */
    record Stats(
            Map<String, Long> distinctByEndpoint,
            long distinct,
            long duplicates,
            long unreadable,
            long stale,
            long p50Micros,
            long p99Micros,
            long maxMicros,
            long t10,
            long t90,
            long last) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    ReceiverClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String url(String path) {
        return base + path;
    }

    void reset(int phase, long records) {
        call("POST", "/_reset?phase=" + phase + "&n=" + records);
    }

    long count(String prefix) {
        return Long.parseLong(call("GET", "/_count?prefix=" + prefix).trim());
    }

    Stats stats(String prefix) {
        Map<String, Long> byEndpoint = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        for (String line : call("GET", "/_stats?prefix=" + prefix).split("\n")) {
            String[] words = line.split(" ");
            if (words[0].equals("endpoint")) {
                byEndpoint.put(words[1], Long.parseLong(words[3]));
            } else if (words[0].equals("total")) {
                for (int i = 1; i + 1 < words.length; i += 2) {
                    total.put(words[i], Long.parseLong(words[i + 1]));
                }
            }
        }
        return new Stats(
                byEndpoint,
                total.get("distinct"),
                total.get("duplicates"),
                total.get("unreadable"),
                total.get("stale"),
                total.get("p50us"),
                total.get("p99us"),
                total.get("maxus"),
                total.get("t10"),
                total.get("t90"),
                total.get("last"));
    }

    private String call(String method, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("the receiver did not answer " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
