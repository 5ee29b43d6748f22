package io.campanello.cluster;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A steady load of events posted over HTTP to the ingest instances in turn, as a careful producer posts them: each
 * event carries its own {@code id} (so the same event sent again is the same event), and an attempt that got no
 * {@code 202} — a 503, a refused or broken connection, a timeout — is sent again to the next instance after a short
 * pause, until one accepts it. Only a {@code 202} counts as accepted: what a killed instance took without answering
 * is not, until another instance accepts it.
 */
final class Load implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration AGAIN_AFTER = Duration.ofMillis(250);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);

    private final List<ServiceProcess> ingests;
    private final String type;
    private final String run;
    private final int perSecond;
    private final java.util.concurrent.ExecutorService answers = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .executor(answers)
            .build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final AtomicInteger posted = new AtomicInteger();
    private final Map<Integer, Accepted> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicReference<HttpResponse<String>> firstUnavailable = new AtomicReference<>();
    private final AtomicReference<Long> lastFailureNanos = new AtomicReference<>();
    private volatile boolean posting;

    /** An event some ingest answered 202: its id (as Campanello named it) and when ({@link System#nanoTime()}). */
    record Accepted(String eventId, long atNanos) {}

    /** {@code perSecond} events of {@code type}, named {@code <run>-<n>}, posted to {@code ingests} in turn. */
    Load(List<ServiceProcess> ingests, String type, String run, int perSecond) {
        this.ingests = List.copyOf(ingests);
        this.type = type;
        this.run = run;
        this.perSecond = perSecond;
    }

    /** Starts posting. */
    Load start() {
        posting = true;
        scheduler.scheduleAtFixedRate(this::postNext, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return this;
    }

    /** Stops posting new events and waits until every event posted was accepted by some instance. */
    Load stop(Duration atMost) {
        posting = false;
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> accepted.size() + rejected.get() >= posted.get());
        return this;
    }

    private void postNext() {
        if (posting) {
            int n = posted.getAndIncrement();
            attempt(n, n);
        }
    }

    private void attempt(int n, int instance) {
        ServiceProcess ingest = ingests.get(Math.floorMod(instance, ingests.size()));
        String body = "{\"id\": \"" + run + "-" + n + "\", \"type\": \"" + type + "\", \"subject\": \"s-" + (n % 50)
                + "\", \"data\": {\"n\": " + n + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.url() + "/v1/events"))
                .header("Authorization", "Bearer " + ServiceProcesses.API_KEY)
                .header("Content-Type", "application/json")
                .timeout(ATTEMPT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
            if (answer != null) {
                statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
            }
            if (answer != null && answer.statusCode() == 202) {
                String id = JSON.readTree(answer.body()).path("id").asString();
                accepted.putIfAbsent(n, new Accepted(id, System.nanoTime()));
            } else if (answer != null && answer.statusCode() < 500 && answer.statusCode() != 429) {
                rejected.incrementAndGet(); // the event itself is wrong: sending it again would not help
            } else {
                failedAttempts.incrementAndGet();
                lastFailureNanos.set(System.nanoTime());
                if (answer == null) {
                    unanswered.incrementAndGet(); // it may have been written: the retry may make a duplicate
                } else if (answer.statusCode() == 503) {
                    firstUnavailable.compareAndSet(null, answer);
                }
                scheduler.schedule(() -> attempt(n, instance + 1), AGAIN_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Events accepted (202), by their number. */
    Map<Integer, Accepted> accepted() {
        return Map.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    int posted() {
        return posted.get();
    }

    /** Attempts answered 4xx other than 429: none expected. */
    int rejected() {
        return rejected.get();
    }

    /** Attempts that got no 202 and were sent again (503s, refused or broken connections, timeouts). */
    int failedAttempts() {
        return failedAttempts.get();
    }

    /** Attempts that got no answer at all (refused, broken, timed out): the event may or may not have been written. */
    int unanswered() {
        return unanswered.get();
    }

    /** How many attempts got each HTTP status. */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    /** The first 503 answer, if any. */
    Optional<HttpResponse<String>> firstUnavailable() {
        return Optional.ofNullable(firstUnavailable.get());
    }

    /** When the latest attempt failed ({@link System#nanoTime()}), if any did. */
    Optional<Long> lastFailureNanos() {
        return Optional.ofNullable(lastFailureNanos.get());
    }

    @Override
    public void close() {
        posting = false;
        scheduler.shutdownNow();
        answers.shutdownNow();
    }
}
