import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the time from ingest's 202 to the receiver getting the POST, one event at a time, against a running
 * standalone. JDK only: {@code java bench/OneEventLatency.java <api key> [events]}.
 */
public class OneEventLatency {

    private static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"(evt_[0-9a-f]+)\"");

    public static void main(String[] args) throws Exception {
        String key = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        var received = new ConcurrentHashMap<String, Long>();
        var latches = new ConcurrentHashMap<String, CountDownLatch>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/bench", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            Matcher id = EVENT_ID.matcher(body);
            if (id.find()) {
                received.put(id.group(1), now);
                latches.computeIfAbsent(id.group(1), k -> new CountDownLatch(1)).countDown();
            }
        });
        receiver.start();
        HttpClient http = HttpClient.newHttpClient();
        String type = "bench.latency." + System.nanoTime();
        send(http, key, "http://localhost:8082/v1/subscriptions",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/bench\", \"eventTypes\": [\"" + type + "\"], \"activate\": true}");

        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < events + 1; i++) {
            HttpResponse<String> accepted = send(http, key, "http://localhost:8081/v1/events",
                    "{\"type\": \"" + type + "\", \"subject\": \"s-" + i + "\", \"data\": {\"n\": " + i + "}}");
            long acceptedAt = System.nanoTime();
            Matcher id = EVENT_ID.matcher(accepted.body());
            if (accepted.statusCode() != 202 || !id.find()) {
                throw new IllegalStateException("not accepted: " + accepted.statusCode() + " " + accepted.body());
            }
            if (!latches.computeIfAbsent(id.group(1), k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not delivered within 30 s: " + id.group(1));
            }
            if (i > 0) { // the first event warms the path up
                millis.add((received.get(id.group(1)) - acceptedAt) / 1e6);
            }
        }
        receiver.stop(0);
        Collections.sort(millis);
        System.out.printf("events=%d  202->receipt ms: min=%.1f p50=%.1f p90=%.1f max=%.1f%n", millis.size(),
                millis.get(0), percentile(millis, 50), percentile(millis, 90), millis.get(millis.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static HttpResponse<String> send(HttpClient http, String key, String url, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }
}
