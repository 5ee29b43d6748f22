package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends events and copies of them to a standalone and reads what a receiver got, for the dedupe tests: each
 * negative check waits for a marker, an event of the same subject sent after the copies, which is matched after them
 * (one subject, one partition of webhooks.events) and delivered on the subscription's partition after anything they
 * made, and for the matcher's count of the copies it dropped. The test subscriptions take one call at a time
 * ({@code maxConcurrency} 1): with the default twenty, the marker's request may overtake an earlier one that is still
 * in flight, and "arrived before the marker" would not hold.
 */
final class EventCopies {

    static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Pattern DEDUPLICATED =
            Pattern.compile("(?m)^campanello_events_deduplicated_total(?:\\{[^}]*})? ([0-9.E]+)$");

    private final Api api = new Api(TestStandalones.API_KEY);
    private final TestReceiver receiver;

    EventCopies(TestReceiver receiver) {
        this.receiver = receiver;
    }

    String subscribe(StandaloneSettings settings, String path) {
        String type = "order.created." + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post(
                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + type
                        + "\"], \"activate\": true, \"maxConcurrency\": 1}");
        assertThat(created.status()).isEqualTo(201);
        return type;
    }

    static String event(String type, String subject, String note) {
        return "{\"type\": \"" + type + "\", \"subject\": \"" + subject + "\", \"data\": {\"note\": \"" + note + "\"}}";
    }

    String send(StandaloneSettings settings, String json, String idempotencyKey) {
        Api.Response accepted = api.post(
                "http://localhost:" + settings.ingestPort() + "/v1/events",
                json,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        assertThat(accepted.status()).isEqualTo(202);
        return accepted.body().get("id").stringValue();
    }

    /**
     * Sends the marker (same subject, no key: another event, with the note {@code marker}) and waits until the
     * matcher counted the copies it dropped and the marker arrived, so any copy that got through would have arrived
     * before it.
     */
    void awaitMarker(StandaloneSettings settings, String type, String subject, String path, double droppedAtLeast) {
        send(settings, event(type, subject, "marker"), null);
        await().atMost(DELIVERY)
                .until(() -> deduplicated(settings) >= droppedAtLeast
                        && notes(receiver.received(path)).contains("marker"));
    }

    static List<String> notes(List<TestReceiver.Received> calls) {
        return calls.stream()
                .map(call -> JsonMapper.builder()
                        .build()
                        .readTree(call.body())
                        .get("data")
                        .get("note")
                        .stringValue())
                .toList();
    }

    /** The matcher's count of dropped copies, from the subscription service's Prometheus endpoint. */
    static double deduplicated(StandaloneSettings settings) {
        try {
            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + settings.subscriptionsPort()
                                            + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher found = DEDUPLICATED.matcher(metrics);
            return found.find() ? Double.parseDouble(found.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        assertThat(directory).as("the matcher's local state").isDirectory();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        assertThat(directory).doesNotExist();
    }
}
