package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Campanello as a cluster under faults, with a steady load of events posted over HTTP to two ingest instances and
 * delivered to a real receiver: two instances of every service on three brokers (replication factor 3,
 * {@code min.insync.replicas=2}). Each event matches two subscriptions, one answered at once and one that fails each
 * delivery's first attempt (so retries go through the retry service). Every event accepted (202) must have both
 * deliveries arrive; a {@code webhook-id} may arrive twice only when it was in flight at a fault ({@link
 * FaultReport}). One cluster for the class; the scenarios run in order, the kill -9 scenario last.
 *
 * <p>Scale by system properties (the {@code bench/cluster-faults.sh} long form sets them): {@code
 * cluster.faults.rate} events per second (10), {@code cluster.faults.steady-seconds} of load between faults (2),
 * {@code cluster.faults.outage-seconds} all brokers are down (10 here; 30 in the long form).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterFaultsIT.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int RATE = Integer.getInteger("cluster.faults.rate", 10);
    private static final Duration STEADY = Duration.ofSeconds(Long.getLong("cluster.faults.steady-seconds", 2));
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("cluster.faults.outage-seconds", 10));
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How long the hanging endpoint of the rebalance scenario takes to answer: well past the usual, under 20 s. */
    private static final Duration HANG = Duration.ofSeconds(3);
    /**
     * Events a second to the hanging endpoint: under what it can take (20 requests at once, default endpoint
     * concurrency, answered in 3 s: 6.7 a second), so the backlog stays what is in flight.
     */
    private static final int HANGING_RATE = Math.max(1, Math.min(RATE / 2, 5));

    private static final String RETRY_DELAYS = "--campanello.kafka.retry-delays=1s,1s";
    /** Every first attempt on the retried path fails on purpose: no circuit may open and defer the rest. */
    private static final String NO_CIRCUIT = "--campanello.dispatcher.circuit.failures=100000";

    @TempDir
    static Path dir;

    private static KafkaCluster kafka;
    private static ServiceProcesses services;
    private static Receiver receiver;
    private static final Map<Service, List<ServiceProcess>> instances = new EnumMap<>(Service.class);
    /** Per scenario (its event type), the receiver's paths and the subscription posting to each. */
    private static final Map<String, Map<String, String>> subscriptions = new LinkedHashMap<>();

    private static final List<FaultReport> reports = new ArrayList<>();
    private static final ExecutorService ROLL = Executors.newFixedThreadPool(Service.values().length);

    @BeforeAll
    static void startCluster() throws Exception {
        kafka = KafkaCluster.start(dir, 3);
        services = new ServiceProcesses(kafka);
        receiver = Receiver.start(64);
        instances.put(
                Service.SUBSCRIPTIONS,
                List.of(
                        services.launch(Service.SUBSCRIPTIONS, "subscriptions-1", matcher("subscriptions-1")),
                        services.launch(Service.SUBSCRIPTIONS, "subscriptions-2", matcher("subscriptions-2"))));
        instances.get(Service.SUBSCRIPTIONS).forEach(ServiceProcess::awaitReady);
        ServiceProcess api = instances.get(Service.SUBSCRIPTIONS).get(0);
        for (String scenario : List.of("kill", "roll", "failover", "outage")) {
            subscriptions.put(
                    scenario,
                    Map.of(
                            "/" + scenario + "/direct", subscribe(api, scenario, "/" + scenario + "/direct"),
                            "/" + scenario + "/retried", subscribe(api, scenario, "/" + scenario + "/retried")));
            receiver.failFirstAttemptAt("/" + scenario + "/retried");
        }
        subscriptions.put("rebalance", Map.of("/rebalance/hang", subscribe(api, "rebalance", "/rebalance/hang")));
        receiver.delayAt("/rebalance/hang", HANG);
        // Started once the subscriptions exist, so every table has them from the start.
        instances.put(Service.INGEST, launchTwo(Service.INGEST));
        instances.put(Service.DISPATCHER, launchTwo(Service.DISPATCHER, RETRY_DELAYS, NO_CIRCUIT));
        instances.put(Service.RETRY, launchTwo(Service.RETRY, RETRY_DELAYS));
        instances.values().forEach(two -> two.forEach(ServiceProcess::awaitReady));
    }

    @AfterAll
    static void stopCluster() {
        log.info(
                "cluster faults\n{}\n{}",
                FaultReport.header(),
                String.join("\n", reports.stream().map(FaultReport::row).toList()));
        ROLL.shutdownNow();
        if (receiver != null) {
            receiver.close();
        }
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Two of each service run before each scenario: those killed by an earlier one are started again, together. */
    @BeforeEach
    void twoOfEachRun() {
        List<ServiceProcess> dead = instances.values().stream()
                .flatMap(List::stream)
                .filter(instance -> !instance.isAlive())
                .toList();
        dead.forEach(instance -> instance.jvm().launch());
        dead.forEach(ServiceProcess::awaitReady);
    }

    @Test
    @Order(5) // last: the killed instances stay dead, no later scenario waits for them to start again
    void killingOneInstanceOfEachServiceAtATimeLosesNothingAccepted() throws Exception {
        List<ServiceProcess> victims = List.of(
                instances.get(Service.DISPATCHER).get(0),
                instances.get(Service.SUBSCRIPTIONS).get(0),
                instances.get(Service.INGEST).get(0),
                instances.get(Service.RETRY).get(0));
        FaultReport report = underLoad(
                "kill",
                RATE,
                victims.stream().map(victim -> (Fault) victim::kill).toList());

        assertNothingLost(report);
        assertDuplicatesOnlyAtFaults(report);
        assertThat(current.unanswered())
                .as("posts to the killed ingest got no answer: not accepted there, sent to the other instance")
                .isPositive();
    }

    @Test
    @Order(1)
    void aRollingRestartOfEveryServiceLosesNothingAndSendsTwiceOnlyWhatWasInFlight() throws Exception {
        // As helm upgrade rolls every Deployment at once, each one pod at a time: first instance 1 of every service
        // (SIGTERM, start again, wait until ready), then instance 2.
        FaultReport report = underLoad("roll", RATE, List.of(() -> restartInstance(0), () -> restartInstance(1)));

        assertNothingLost(report);
        // Measured: 0 to 5 duplicates in 1,400 to 3,900 deliveries, retries the retry service handed back twice when
        // its group rebalanced (docs/operations.md), at a stop or a start.
        assertDuplicatesOnlyAtFaults(report);
        assertThat(report.duplicates())
                .as("a graceful stop sends again at most a few deliveries: %s", report.row())
                .isLessThanOrEqualTo(report.deliveries() / 100);
    }

    @Test
    @Order(2)
    void aDispatcherJoiningAndLeavingWhileTheEndpointHangsHandsOverWithoutDoubleSends() throws Exception {
        ServiceProcess third = services.launch(Service.DISPATCHER, "dispatcher-3", RETRY_DELAYS, NO_CIRCUIT);
        FaultReport report = underLoad("rebalance", HANGING_RATE, List.of(third::awaitReady, third::terminate));

        assertNothingLost(report);
        assertThat(receiver.mostAtOnce("/rebalance/hang"))
                .as("requests were hanging at the endpoint while the group rebalanced")
                .isGreaterThan(1);
        assertThat(report.duplicates())
                .as(
                        "a revoked partition's requests (hanging %s, under the shutdown timeout) finish before it moves",
                        HANG)
                .isZero();
    }

    @Test
    @Order(3)
    void aBrokerKilledDuringLoadLosesNothingAccepted() throws Exception {
        FaultReport report =
                underLoad("failover", RATE, List.of(() -> kafka.killBroker(1), () -> kafka.startBroker(1)));

        assertNothingLost(report);
        assertDuplicatesOnlyAtFaults(report);
    }

    @Test
    @Order(4)
    void withEveryBrokerDownIngestAnswers503AndEverythingResumesWithoutRestartingServices() throws Exception {
        long[] back = new long[1];
        FaultReport report = underLoad("outage", RATE, List.of(() -> {
            Load load = current;
            int failedBefore = load.failedAttempts();
            kafka.killAllBrokers();
            long down = System.nanoTime();
            // Posts keep failing for the whole outage: the marker that the outage lasted.
            await().atMost(OUTAGE.plus(WAIT))
                    .until(() -> load.firstUnavailable().isPresent()
                            && System.nanoTime() - down >= OUTAGE.toNanos()
                            && load.failedAttempts() > failedBefore);
            back[0] = System.nanoTime();
            kafka.startAllBrokers();
        }));

        HttpResponse<String> unavailable = current.firstUnavailable().orElseThrow();
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(unavailable.body());
        assertThat(problem.path("code").asString()).isEqualTo("kafka_unavailable");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertNothingLost(report);
        assertDuplicatesOnlyAtFaults(report);
        assertThat(unavailableAnswers(instances.get(Service.INGEST)))
                .as("operators see the 503s in http_server_requests_seconds_count{uri=\"/v1/events\",status=\"503\"}")
                .isPositive();
        for (List<ServiceProcess> two : instances.values()) {
            for (ServiceProcess instance : two) {
                assertThat(instance.isAlive())
                        .as("%s was not restarted", instance.name())
                        .isTrue();
                assertThat(liveness(instance))
                        .as("liveness of %s", instance.name())
                        .isEqualTo(200);
            }
        }
        long firstAccepted = current.accepted().values().stream()
                .mapToLong(Load.Accepted::atNanos)
                .filter(at -> at > back[0])
                .min()
                .orElseThrow();
        log.info(
                "outage of {} s: ingest accepted again {} ms after the brokers were started",
                OUTAGE.toSeconds(),
                Duration.ofNanos(firstAccepted - back[0]).toMillis());
    }

    /** Restarts instance {@code index} of every service at once (SIGTERM, start, ready); returns when all are ready. */
    private static void restartInstance(int index) {
        List<CompletableFuture<Void>> restarts = instances.values().stream()
                .map(two -> two.get(index))
                .map(instance -> CompletableFuture.runAsync(instance::restart, ROLL))
                .toList();
        restarts.forEach(CompletableFuture::join);
    }

    /** A fault (or a step of one) done during load. */
    @FunctionalInterface
    interface Fault {
        void apply() throws Exception;
    }

    private static volatile Load current;

    /**
     * Posts {@code rate} events a second of the scenario's type; after some steady load, applies each fault in turn,
     * waiting after each until every event accepted before it was delivered (what it held was taken over) and some
     * steady load again; then stops posting and waits until every accepted event was delivered.
     */
    private static FaultReport underLoad(String scenario, int rate, List<Fault> faults) throws Exception {
        Map<String, String> paths = subscriptions.get(scenario);
        List<Long> times = new ArrayList<>();
        try (Load load =
                new Load(instances.get(Service.INGEST), scenario, scenario + "-" + System.currentTimeMillis(), rate)) {
            current = load;
            load.start();
            steady(load, rate);
            for (Fault fault : faults) {
                long at = System.nanoTime();
                times.add(at);
                fault.apply();
                // Its end is a fault's moment too: an instance back (it joins its groups), brokers back.
                times.add(System.nanoTime());
                await().atMost(WAIT).until(() -> deliveredAcceptedBefore(load, paths, at));
                steady(load, rate);
            }
            load.stop(WAIT);
            try {
                await().atMost(WAIT)
                        .until(() -> FaultReport.of(scenario, load, receiver, paths, times)
                                        .lost()
                                == 0);
            } catch (ConditionTimeoutException e) {
                log.warn("scenario {}: deliveries still missing after {}", scenario, WAIT);
            }
            assertThat(load.rejected()).as("events rejected (4xx)").isZero();
            FaultReport report =
                    FaultReport.of(scenario, load, receiver, paths, times).withWritten(kafka, load, paths);
            reports.add(report);
            log.info("{}\n{}", FaultReport.header(), report.row());
            report.duplicateDetails().forEach(duplicate -> log.info("{} duplicate: {}", scenario, duplicate));
            return report;
        }
    }

    /** Waits until {@link #STEADY} worth of events more were accepted. */
    private static void steady(Load load, int rate) {
        int target = load.acceptedCount() + (int) (rate * STEADY.toSeconds());
        await().atMost(WAIT).until(() -> load.acceptedCount() >= target);
    }

    private static boolean deliveredAcceptedBefore(Load load, Map<String, String> paths, long at) {
        return load.accepted().values().stream()
                .filter(event -> event.atNanos() < at)
                .allMatch(event -> paths.entrySet().stream()
                        .allMatch(path -> receiver.deliveredAt(path.getKey())
                                .containsKey(io.campanello.schemas.Ids.deliveryId(event.eventId(), path.getValue()))));
    }

    private static void assertNothingLost(FaultReport report) {
        assertThat(report.lost())
                .as("deliveries of accepted events that never arrived: %s", report.row())
                .isZero();
        assertThat(report.delivered()).isEqualTo(report.deliveries()).isPositive();
    }

    /**
     * Duplicates are bounded by what was in flight at a fault. Each duplicate was first delivered from {@link
     * FaultReport#BEFORE_FAULT} before a fault until the fault's recovery (plus {@link FaultReport#AFTER_RECOVERY}):
     * a delivery the dispatcher had not committed, an event the matcher had not committed, or an event posted again
     * after an attempt that got no 202 but that Kafka had written — never one away from the faults. And every event
     * written twice is one of the posts sent again: ingest never writes an event twice by itself.
     */
    private static void assertDuplicatesOnlyAtFaults(FaultReport report) {
        assertThat(report.duplicatesAwayFromFaults())
                .as("deliveries sent twice that were not in flight at a fault: %s", report.row())
                .isEmpty();
        assertThat(report.eventsWrittenTwice())
                .as("events written twice: at most one per post sent again after no 202: %s", report.row())
                .isLessThanOrEqualTo(report.failedAttempts());
    }

    private static List<ServiceProcess> launchTwo(Service service, String... arguments) {
        String name = service.name().toLowerCase(java.util.Locale.ROOT);
        return List.of(
                services.launch(service, name + "-1", arguments), services.launch(service, name + "-2", arguments));
    }

    private static String[] matcher(String name) {
        return new String[] {
            "--campanello.matcher.state-dir=" + dir.resolve(name),
            "--spring.kafka.streams.client-id=" + name,
            // A killed member's tasks move after the session timeout: the broker's least, 6 s.
            "--spring.kafka.streams.properties.session.timeout.ms=6000"
        };
    }

    private static String subscribe(ServiceProcess api, String type, String path) throws Exception {
        return ClusterApi.post(
                        api,
                        "/v1/subscriptions",
                        "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": [\"" + type
                                + "\"], \"activate\": true}",
                        201)
                .path("id")
                .asString();
    }

    /** The 503 answers to {@code POST /v1/events} of these instances, from their Prometheus pages. */
    private static double unavailableAnswers(List<ServiceProcess> ingests) throws Exception {
        double total = 0;
        for (ServiceProcess ingest : ingests) {
            total += ClusterApi.send(HttpRequest.newBuilder(URI.create(ingest.url() + "/actuator/prometheus"))
                            .build())
                    .body()
                    .lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                            && line.contains("status=\"503\"")
                            && line.contains("uri=\"/v1/events\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }
        return total;
    }

    private static int liveness(ServiceProcess instance) throws Exception {
        return ClusterApi.send(HttpRequest.newBuilder(URI.create(instance.url() + "/actuator/health/liveness"))
                        .build())
                .statusCode();
    }
}
