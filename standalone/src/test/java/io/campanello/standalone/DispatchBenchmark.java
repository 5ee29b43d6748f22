package io.campanello.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Dispatcher throughput and latency on one machine: the broker and the services in one JVM, events posted to
 * ingest over HTTP, endpoints on a local {@link BenchReceiver}. Not a test: run with
 * {@code bash bench/dispatch.sh [a|b|c|d|e|all]}.
 *
 * <p>For each scenario it starts a fresh stack, creates the subscriptions (each its own endpoint path, timeout
 * 1,000 ms, the least the API allows), checks that every endpoint receives a probe event, then posts events from a few
 * client threads: a warm-up, then a measuring window. It counts the first request of each webhook-id that arrives
 * within the window, and the latency from the 202 of {@code POST /v1/events} to that arrival. After the window it
 * stops posting and waits (a bounded time) for the backlog, then checks that every posted event reached every matching
 * endpoint once (deliveries = events × matching subscriptions) and that no endpoint answering 2xx got a webhook-id
 * twice.
 *
 * <p>Scenarios: (a) 20 fast endpoints on one event type, as fast as the platform goes (the senders keep at most
 * {@code bench.backlog} deliveries outstanding); (b) 10 fast endpoints, each on its own event type, 1,000 events/s
 * paced (1,000 deliveries/s); (c) as (a) with 2 of the 20 endpoints hanging; (d) as (c), delivered by the
 * {@link NaiveDispatcher} instead of Campanello's; (e) a mix of every endpoint class (not part of {@code all}).
 */
public final class DispatchBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
    /** The first scenario in a fresh JVM also warms the JIT of the whole stack: it is ~2.5× slower without this. */
    private static final Duration JVM_WARM_UP = Duration.ofSeconds(Long.getLong("bench.jvmWarmup", 30));
    /** The warm-up of the scenario that runs now. */
    private static volatile Duration warmUp = WARM_UP.plus(JVM_WARM_UP);

    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("bench.window", 30));
    private static final Duration DRAIN = Duration.ofSeconds(Long.getLong("bench.drain", 30));
    private static final long BACKLOG = Long.getLong("bench.backlog", 5_000);
    private static final int TIMEOUT_MILLIS = 1_000;
    /** Deliveries a 2xx endpoint may get twice in a scenario before the run fails. */
    private static final long ALLOWED_DUPLICATES = Long.getLong("bench.allowedDuplicates", 0);
    /** Events/s for the scenarios that otherwise go as fast as they can (a, c, d, e): their latency below saturation. */
    private static final int RATE = Integer.getInteger("bench.rate", 0);

    /** One endpoint: its class (the receiver's behaviour) and the event type its subscription listens to. */
    record Endpoint(String endpointClass, String eventType) {}

    /**
     * A scenario: its endpoints, the offered load (events/s, or 0 for as fast as the backlog cap allows), the sender
     * threads, and whether the naive dispatcher replaces Campanello's.
     */
    record Scenario(
            String name,
            String description,
            List<Endpoint> endpoints,
            int eventsPerSecond,
            int senders,
            boolean naive) {

        List<String> eventTypes() {
            return List.copyOf(new LinkedHashSet<>(
                    endpoints.stream().map(Endpoint::eventType).toList()));
        }
    }

    /** What one class of endpoints saw in the window. */
    record ClassResult(
            String endpointClass,
            int endpoints,
            long firstsInWindow,
            long requestsInWindow,
            long[] latenciesMicros,
            long expected,
            long firstsTotal,
            long duplicates) {

        double perSecond(long count) {
            return count / (WINDOW.toNanos() / 1e9);
        }
    }

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put(
                "a",
                new Scenario(
                        "a",
                        "20 fast endpoints, one event type (fan-out 20), maximum throughput",
                        endpoints("bench.a", Map.of("fast", 20)),
                        0,
                        4,
                        false));
        List<Endpoint> perType = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            perType.add(new Endpoint("fast", "bench.b." + i));
        }
        SCENARIOS.put(
                "b",
                new Scenario(
                        "b",
                        "10 fast endpoints, each on its own event type, 1,000 events/s paced (1,000 deliveries/s)",
                        perType,
                        1_000,
                        // Each sender waits for its 202 (Kafka's acknowledgement, ~10–20 ms): 32 can offer 1,000/s.
                        32,
                        false));
        SCENARIOS.put(
                "c",
                new Scenario(
                        "c",
                        "as (a) with 2 of the 20 endpoints hanging (timeout 1,000 ms)",
                        endpoints("bench.c", orderedMap("fast", 18, "hang", 2)),
                        0,
                        4,
                        false));
        SCENARIOS.put(
                "d",
                new Scenario(
                        "d",
                        "as (c), delivered by the naive dispatcher (one blocking call per record in the poll loop)",
                        endpoints("bench.d", orderedMap("fast", 18, "hang", 2)),
                        0,
                        4,
                        true));
        SCENARIOS.put(
                "e",
                new Scenario(
                        "e",
                        "mixed: 14 fast, 2 slow (200 ms), 2 answering 500, 1 resetting, 1 hanging; one event type",
                        endpoints("bench.e", orderedMap("fast", 14, "slow-200", 2, "error", 2, "reset", 1, "hang", 1)),
                        0,
                        4,
                        false));
    }

    public static void main(String[] args) {
        try {
            List<String> failures = run(args);
            if (!failures.isEmpty()) {
                failures.forEach(failure -> say("CHECK FAILED: %s", failure));
                System.exit(1);
            }
            say("checks passed (duplicates allowed: %,d)", ALLOWED_DUPLICATES);
        } catch (Exception | AssertionError e) {
            say("FAILED: %s", e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // a hanging connection or a Kafka client thread must not keep the JVM alive
    }

    /** Runs the scenarios named in the arguments and returns what their checks found wrong. */
    private static List<String> run(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        List<Scenario> run = which.equals("all")
                ? List.of(SCENARIOS.get("a"), SCENARIOS.get("b"), SCENARIOS.get("c"), SCENARIOS.get("d"))
                : Arrays.stream(which.split(","))
                        .map(name -> {
                            Scenario scenario = SCENARIOS.get(name);
                            if (scenario == null) {
                                throw new IllegalArgumentException(
                                        "unknown scenario " + name + "; one of " + SCENARIOS.keySet() + " or all");
                            }
                            return scenario;
                        })
                        .toList();
        if (RATE > 0) {
            run = run.stream()
                    .map(s -> s.eventsPerSecond() > 0
                            ? s
                            : new Scenario(
                                    s.name(),
                                    s.description().replace(", maximum throughput", "") + ", paced at " + RATE
                                            + " events/s",
                                    s.endpoints(),
                                    RATE,
                                    8,
                                    s.naive()))
                    .toList();
        }
        say(
                "java %s, %d cores, max heap %d MiB; warm-up %d s (+%d s for the JVM before the first), window %d s, "
                        + "backlog cap %,d deliveries",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                WARM_UP.toSeconds(),
                JVM_WARM_UP.toSeconds(),
                WINDOW.toSeconds(),
                BACKLOG);
        Map<String, Double> healthyPerSecond = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (Scenario scenario : run) {
            List<ClassResult> results = run(scenario);
            failures.addAll(failures(scenario, results));
            warmUp = WARM_UP;
            // Per healthy endpoint, so that (c)'s 18 are compared with (a)'s 20 fairly; a scenario run twice counts
            // with its last run.
            List<ClassResult> healthy = results.stream()
                    .filter(r -> BenchReceiver.healthy(r.endpointClass()))
                    .toList();
            healthyPerSecond.put(
                    scenario.name(),
                    healthy.stream()
                                    .mapToDouble(r -> r.perSecond(r.firstsInWindow()))
                                    .sum()
                            / healthy.stream().mapToInt(ClassResult::endpoints).sum());
        }
        Double a = healthyPerSecond.get("a");
        Double c = healthyPerSecond.get("c");
        Double d = healthyPerSecond.get("d");
        if (c != null && (a != null || d != null)) {
            say(
                    "summary: (c) %,.1f deliveries/s per healthy endpoint%s%s",
                    c,
                    a == null
                            ? ""
                            : String.format(
                                    Locale.ROOT, " = %.0f %% of (a)'s %,.1f/s (target ≥ 90 %%)", 100 * c / a, a),
                    d == null
                            ? ""
                            : String.format(Locale.ROOT, " = %.1f× (d)'s naive %,.2f/s (target ≥ 10×)", c / d, d));
        }
        return failures;
    }

    /**
     * What a scenario's accounting found wrong: with Campanello's dispatcher every posted event reaches every healthy
     * endpoint that matches it, each endpoint class gets no more first requests than were posted for it, and a 2xx
     * endpoint gets a webhook-id again at most {@code bench.allowedDuplicates} times (at-least-once: a duplicate only
     * follows a crash or a timeout, and nothing crashes here). The naive baseline is only held to "no more than
     * posted": it is expected to leave its backlog behind.
     */
    static List<String> failures(Scenario scenario, List<ClassResult> results) {
        List<String> failures = new ArrayList<>();
        for (ClassResult r : results) {
            String what = "(" + scenario.name() + ") " + r.endpointClass();
            if (r.firstsTotal() > r.expected()) {
                failures.add(String.format(
                        Locale.ROOT,
                        "%s: %,d deliveries arrived, only %,d posted",
                        what,
                        r.firstsTotal(),
                        r.expected()));
            }
            if (scenario.naive()) {
                continue;
            }
            if (BenchReceiver.healthy(r.endpointClass()) && r.firstsTotal() < r.expected()) {
                failures.add(String.format(
                        Locale.ROOT,
                        "%s: %,d of %,d deliveries arrived (%,d missing after the drain)",
                        what,
                        r.firstsTotal(),
                        r.expected(),
                        r.expected() - r.firstsTotal()));
            }
            if (r.duplicates() > ALLOWED_DUPLICATES) {
                failures.add(String.format(
                        Locale.ROOT,
                        "%s: %,d duplicate deliveries (at most %,d allowed)",
                        what,
                        r.duplicates(),
                        ALLOWED_DUPLICATES));
            }
        }
        return failures;
    }

    private static List<ClassResult> run(Scenario scenario) throws Exception {
        say(
                "scenario (%s): %s%s",
                scenario.name(), scenario.description(), scenario.naive() ? "" : ", Campanello's dispatcher");
        Path dataDir = Files.createTempDirectory("campanello-dispatch-bench");
        StandaloneSettings chosen = TestStandalones.settings(dataDir, List.of());
        if (scenario.naive()) {
            chosen = chosen.withoutDispatcher();
        }
        Api api = new Api(TestStandalones.API_KEY);
        long started = System.nanoTime();
        NaiveDispatcher naive = null;
        try (TestStandalones.Started standalone = TestStandalones.start(chosen);
                BenchReceiver receiver = new BenchReceiver()) {
            StandaloneSettings settings = standalone.settings();
            say("stack up in %.1f s", (System.nanoTime() - started) / 1e9);
            Map<String, NaiveDispatcher.Endpoint> bySubscription = new HashMap<>();
            List<String> paths = new ArrayList<>();
            Map<String, Integer> perClass = new HashMap<>();
            for (Endpoint endpoint : scenario.endpoints()) {
                int n = perClass.merge(endpoint.endpointClass(), 1, Integer::sum);
                String url = receiver.url(endpoint.endpointClass(), n);
                String id = api.post(
                                "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions",
                                "{\"url\": \"" + url + "\", \"eventTypes\": [\"" + endpoint.eventType()
                                        + "\"], \"timeoutMillis\": " + TIMEOUT_MILLIS + ", \"activate\": true}")
                        .body()
                        .get("id")
                        .stringValue();
                bySubscription.put(id, new NaiveDispatcher.Endpoint(url, Duration.ofMillis(TIMEOUT_MILLIS)));
                paths.add(URI.create(url).getPath());
            }
            if (scenario.naive()) {
                naive = new NaiveDispatcher("127.0.0.1:" + settings.kafkaPort(), bySubscription);
            }
            Senders senders =
                    new Senders("http://localhost:" + settings.ingestPort() + "/v1/events", scenario, receiver);
            // Every subscription is known to the matcher and the dispatcher once each endpoint has had a probe.
            for (String type : scenario.eventTypes()) {
                senders.post(type, "probe");
            }
            awaitUpTo(Duration.ofSeconds(90), () -> paths.stream().allMatch(p -> receiver.requests(p) > 0));
            List<String> silent =
                    paths.stream().filter(p -> receiver.requests(p) == 0).toList();
            if (!silent.isEmpty()) {
                throw new IllegalStateException("no probe arrived at " + silent);
            }
            receiver.reset();
            senders.start();
            LockSupport.parkNanos(warmUp.toNanos());
            long windowStart = System.nanoTime();
            LockSupport.parkNanos(WINDOW.toNanos());
            long windowEnd = System.nanoTime();
            senders.stop();
            long posted = senders.posted();
            long expectedAll = senders.expectedTotal();
            long drainStart = System.nanoTime();
            AtomicLong lastCount = new AtomicLong(-1);
            AtomicLong lastProgress = new AtomicLong(System.nanoTime());
            awaitUpTo(DRAIN, () -> {
                long firsts = receiver.receipts().stream()
                        .filter(BenchReceiver.Receipt::first)
                        .filter(r -> senders.sent(r.eventId()))
                        .count();
                if (firsts != lastCount.getAndSet(firsts)) {
                    lastProgress.set(System.nanoTime());
                }
                return firsts >= expectedAll
                        || System.nanoTime() - lastProgress.get()
                                > Duration.ofSeconds(5).toNanos();
            });
            double drained = (System.nanoTime() - drainStart) / 1e9;
            List<ClassResult> results = results(scenario, receiver.receipts(), senders, windowStart, windowEnd);
            print(scenario, results, posted, senders, drained, naive);
            return results;
        } finally {
            if (naive != null) {
                naive.close();
            }
            deleteRecursively(dataDir);
        }
    }

    private static List<ClassResult> results(
            Scenario scenario,
            List<BenchReceiver.Receipt> receipts,
            Senders senders,
            long windowStart,
            long windowEnd) {
        Map<String, Integer> endpointsPerClass = new LinkedHashMap<>();
        scenario.endpoints().forEach(e -> endpointsPerClass.merge(e.endpointClass(), 1, Integer::sum));
        List<ClassResult> results = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : endpointsPerClass.entrySet()) {
            String endpointClass = entry.getKey();
            List<BenchReceiver.Receipt> ofClass = receipts.stream()
                    .filter(r -> r.endpointClass().equals(endpointClass))
                    .toList();
            List<BenchReceiver.Receipt> ofSentEvents =
                    ofClass.stream().filter(r -> senders.sent(r.eventId())).toList();
            List<BenchReceiver.Receipt> firstsInWindow = ofSentEvents.stream()
                    .filter(BenchReceiver.Receipt::first)
                    .filter(r -> r.nanos() >= windowStart && r.nanos() < windowEnd)
                    .toList();
            long requestsInWindow = ofClass.stream()
                    .filter(r -> r.nanos() >= windowStart && r.nanos() < windowEnd)
                    .count();
            long[] latencies = firstsInWindow.stream()
                    .mapToLong(r -> (r.nanos() - senders.acceptedAt(r.eventId())) / 1_000)
                    .sorted()
                    .toArray();
            long firstsTotal =
                    ofSentEvents.stream().filter(BenchReceiver.Receipt::first).count();
            // A webhook-id that arrives again at an endpoint that answered 2xx is a duplicate delivery; at a failing
            // endpoint it is a retry.
            long duplicates = BenchReceiver.healthy(endpointClass)
                    ? ofSentEvents.stream().filter(r -> !r.first()).count()
                    : 0;
            results.add(new ClassResult(
                    endpointClass,
                    entry.getValue(),
                    firstsInWindow.size(),
                    requestsInWindow,
                    latencies,
                    senders.expected(endpointClass),
                    firstsTotal,
                    duplicates));
        }
        return results;
    }

    private static void print(
            Scenario scenario,
            List<ClassResult> results,
            long posted,
            Senders senders,
            double drainedSeconds,
            NaiveDispatcher naive) {
        say(
                "(%s) %,d events posted (%,d refused) over warm-up and window, %.0f events/s in the window",
                scenario.name(), posted, senders.refused(), senders.postedInWindowPerSecond());
        if (scenario.eventsPerSecond() > 0 && senders.postedInWindowPerSecond() < 0.95 * scenario.eventsPerSecond()) {
            say(
                    "(%s) the offered %,d events/s were not reached: the backlog cap (%,d deliveries) or the senders' "
                            + "wait for each 202 held them back",
                    scenario.name(), scenario.eventsPerSecond(), BACKLOG);
        }
        System.out.println(
                "| scenario | endpoint class | endpoints | deliveries/s | requests/s | p50 | p95 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (ClassResult r : results) {
            boolean healthy = BenchReceiver.healthy(r.endpointClass());
            System.out.printf(
                    Locale.ROOT,
                    "| (%s) | %s%s | %d | %s | %,.0f | %s | %s | %s | %s |%n",
                    scenario.name(),
                    r.endpointClass(),
                    healthy ? "" : " (first attempt)",
                    r.endpoints(),
                    healthy ? String.format(Locale.ROOT, "%,.0f", r.perSecond(r.firstsInWindow())) : "0",
                    r.perSecond(r.requestsInWindow()),
                    millis(r.latenciesMicros(), 50),
                    millis(r.latenciesMicros(), 95),
                    millis(r.latenciesMicros(), 99),
                    millis(r.latenciesMicros(), 100));
        }
        for (ClassResult r : results) {
            say(
                    "(%s) check %s: %,d of %,d deliveries (events × matching subscriptions) arrived%s, %,d duplicates%s",
                    scenario.name(),
                    r.endpointClass(),
                    r.firstsTotal(),
                    r.expected(),
                    r.firstsTotal() >= r.expected()
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    " (%,d still in the backlog after a %.0f s drain)",
                                    r.expected() - r.firstsTotal(),
                                    drainedSeconds),
                    r.duplicates(),
                    r.firstsTotal() > r.expected() ? " — MORE THAN POSTED" : "");
        }
        if (naive != null) {
            say("(%s) naive dispatcher: %,d delivered, %,d failed", scenario.name(), naive.delivered(), naive.failed());
        }
    }

    private static String millis(long[] sortedMicros, int percentile) {
        if (sortedMicros.length == 0) {
            return "—";
        }
        int index = Math.min(sortedMicros.length - 1, (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1);
        return String.format(Locale.ROOT, "%,.1f ms", sortedMicros[Math.max(0, index)] / 1000.0);
    }

    /**
     * Posts events to ingest from a few threads: paced (event i due at start + i / rate) or as fast as the backlog
     * cap allows (at most {@code bench.backlog} deliveries to 2xx endpoints posted and not yet received). Records
     * each event's id and the time its 202 came back.
     */
    private static final class Senders {

        private final URI ingest;
        private final Scenario scenario;
        private final BenchReceiver receiver;
        private final List<String> types;
        private final Map<String, int[]> perTypeAndClass = new HashMap<>();
        private final Map<String, int[]> healthyPerType = new HashMap<>();
        private final List<String> classes;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final Map<String, Long> accepted = new ConcurrentHashMap<>(1 << 18);
        private final AtomicLongArray postedPerType;
        private final AtomicLong tickets = new AtomicLong();
        private final AtomicLong healthyPosted = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private long startedAt;
        private long stoppedAt;

        Senders(String ingest, Scenario scenario, BenchReceiver receiver) {
            this.ingest = URI.create(ingest);
            this.scenario = scenario;
            this.receiver = receiver;
            this.types = scenario.eventTypes();
            this.classes = scenario.endpoints().stream()
                    .map(Endpoint::endpointClass)
                    .distinct()
                    .toList();
            for (String type : types) {
                int[] counts = new int[classes.size()];
                scenario.endpoints().stream()
                        .filter(e -> e.eventType().equals(type))
                        .forEach(e -> counts[classes.indexOf(e.endpointClass())]++);
                perTypeAndClass.put(type, counts);
                healthyPerType.put(type, new int[] {
                    (int) scenario.endpoints().stream()
                            .filter(e -> e.eventType().equals(type) && BenchReceiver.healthy(e.endpointClass()))
                            .count()
                });
            }
            this.postedPerType = new AtomicLongArray(types.size());
        }

        void start() {
            running.set(true);
            startedAt = System.nanoTime();
            for (int i = 0; i < scenario.senders(); i++) {
                Thread thread = new Thread(this::send, "bench-sender-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            stoppedAt = System.nanoTime();
        }

        private void send() {
            long interval = scenario.eventsPerSecond() > 0 ? 1_000_000_000L / scenario.eventsPerSecond() : 0;
            while (running.get()) {
                long ticket = tickets.getAndIncrement();
                String type = types.get((int) (ticket % types.size()));
                if (interval > 0) {
                    long due = startedAt + ticket * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0 && running.get()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                // The cap applies to paced scenarios too, so a platform that cannot keep up does not build an
                // unbounded backlog.
                while (healthyPosted.get() - receiver.healthyFirsts() > BACKLOG && running.get()) {
                    LockSupport.parkNanos(200_000);
                }
                if (!running.get()) {
                    return;
                }
                healthyPosted.addAndGet(healthyPerType.get(type)[0]);
                if (post(type, "s-" + ticket)) {
                    postedPerType.incrementAndGet(types.indexOf(type));
                } else {
                    healthyPosted.addAndGet(-healthyPerType.get(type)[0]);
                }
            }
        }

        /** Posts one event; true when ingest answered 202. */
        boolean post(String type, String subject) {
            HttpRequest request = HttpRequest.newBuilder(ingest)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TestStandalones.API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"" + type + "\", \"subject\": \"" + subject
                            + "\", \"data\": {\"amount\": 150, \"currency\": \"EUR\"}}"))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                if (response.statusCode() != 202) {
                    refused.incrementAndGet();
                    return false;
                }
                String body = response.body();
                int at = body.indexOf("evt_");
                if (!subject.equals("probe")) {
                    accepted.put(body.substring(at, at + 28), now);
                }
                return true;
            } catch (IOException e) {
                refused.incrementAndGet();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        boolean sent(String eventId) {
            return eventId != null && accepted.containsKey(eventId);
        }

        long acceptedAt(String eventId) {
            return accepted.get(eventId);
        }

        long posted() {
            return accepted.size();
        }

        long refused() {
            return refused.get();
        }

        double postedInWindowPerSecond() {
            long windowStart = startedAt + warmUp.toNanos();
            long inWindow = accepted.values().stream()
                    .filter(t -> t >= windowStart && t < windowStart + WINDOW.toNanos())
                    .count();
            return inWindow / (WINDOW.toNanos() / 1e9);
        }

        /** Deliveries the posted events owe endpoints of this class: events × matching subscriptions. */
        long expected(String endpointClass) {
            int index = classes.indexOf(endpointClass);
            long expected = 0;
            for (int t = 0; t < types.size(); t++) {
                expected += postedPerType.get(t) * perTypeAndClass.get(types.get(t))[index];
            }
            return expected;
        }

        long expectedTotal() {
            return classes.stream().mapToLong(this::expected).sum();
        }
    }

    private static List<Endpoint> endpoints(String eventType, Map<String, Integer> counts) {
        List<Endpoint> endpoints = new ArrayList<>();
        counts.forEach((endpointClass, count) -> {
            for (int i = 0; i < count; i++) {
                endpoints.add(new Endpoint(endpointClass, eventType));
            }
        });
        return endpoints;
    }

    private static Map<String, Integer> orderedMap(Object... classAndCount) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < classAndCount.length; i += 2) {
            map.put((String) classAndCount[i], (Integer) classAndCount[i + 1]);
        }
        return map;
    }

    /** Waits until the condition holds or the time is up, checking every 100 ms; returns whether it holds. */
    private static boolean awaitUpTo(Duration limit, Callable<Boolean> condition) {
        try {
            Awaitility.await()
                    .atMost(limit)
                    .pollInterval(Duration.ofMillis(100))
                    .until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static void say(String format, Object... args) {
        System.out.println("dispatch " + String.format(Locale.ROOT, format, args));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
