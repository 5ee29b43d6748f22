package io.campanello.cluster;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What exactly-once matching costs (bench/matcher-guarantee.sh runs it; not a CI test, its name does not end in IT):
 * on three brokers, one subscription-service JVM at a time with at-least-once, exactly-once (commit interval 1 s,
 * the default) and exactly-once with a 100 ms commit interval, then at-least-once again (the machine's drift). Each
 * measures the latency of single events (sent one after another, from the send to the task readable with
 * {@code read_committed}, as the dispatcher reads) and the throughput of a burst (first send to last task readable).
 * Settings: {@code bench.latency-events} (50), {@code bench.burst-events} (5000).
 */
class MatcherGuaranteeBench {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int LATENCY_EVENTS = Integer.getInteger("bench.latency-events", 50);
    private static final int BURST_EVENTS = Integer.getInteger("bench.burst-events", 5000);

    @TempDir
    static Path dir;

    record Setting(String name, boolean exactlyOnce, String commitInterval) {}

    @Test
    void exactlyOnceAgainstAtLeastOnce() throws Exception {
        List<Setting> settings = List.of(
                new Setting("at-least-once", false, "1s"),
                new Setting("exactly-once, commit 1s", true, "1s"),
                new Setting("exactly-once, commit 100ms", true, "100ms"),
                new Setting("at-least-once (again)", false, "1s"));
        List<String> lines = new ArrayList<>();
        try (KafkaCluster kafka = KafkaCluster.start(dir, 3);
                ServiceProcesses services = new ServiceProcesses(kafka);
                MatcherFixture.Events events = new MatcherFixture.Events(kafka.bootstrapServers())) {
            String subscription = null;
            int run = 0;
            for (Setting setting : settings) {
                ServiceProcess matcher = services.start(
                        Service.SUBSCRIPTIONS,
                        "bench-" + run,
                        "--campanello.matcher.state-dir=" + dir.resolve("bench-" + run),
                        "--campanello.matcher.exactly-once=" + setting.exactlyOnce(),
                        "--campanello.matcher.commit-interval=" + setting.commitInterval());
                if (subscription == null) {
                    subscription = MatcherFixture.subscribe(matcher, "EVERY_TIME");
                }
                Map<String, Long> arrived = new ConcurrentHashMap<>();
                try (MatcherFixture.Tasks tasks = new MatcherFixture.Tasks(
                        kafka.bootstrapServers(),
                        task -> arrived.putIfAbsent(task.getEvent().getSubject(), System.nanoTime()))) {
                    String prefix = "r" + run + "-";
                    // Warm-up: the matcher has its tasks and the subscription, and its JIT has seen events.
                    int[] probes = {0};
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                        events.send(prefix + "probe-" + probes[0]++);
                        events.flush();
                        tasks.poll();
                        return arrived.keySet().stream().anyMatch(subject -> subject.startsWith(prefix));
                    });
                    for (int i = 0; i < 20; i++) {
                        single(events, tasks, arrived, prefix + "warm-" + i);
                    }
                    long[] latencies = new long[LATENCY_EVENTS];
                    for (int i = 0; i < LATENCY_EVENTS; i++) {
                        latencies[i] = single(events, tasks, arrived, prefix + "single-" + i);
                    }
                    Arrays.sort(latencies);
                    List<String> burst = IntStream.range(0, BURST_EVENTS)
                            .mapToObj(i -> prefix + "burst-" + i)
                            .toList();
                    String matched = subscription;
                    long start = System.nanoTime();
                    burst.forEach(events::send);
                    events.flush();
                    await().atMost(WAIT)
                            .pollInterval(Duration.ofMillis(1))
                            .until(() -> tasks.poll().forSubjects(matched, burst) == BURST_EVENTS);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    lines.add(String.format(
                            Locale.ROOT,
                            "| %s | %.0f / %.0f / %.0f ms | %.0f events/s |",
                            setting.name(),
                            latencies[LATENCY_EVENTS / 2] / 1e6,
                            latencies[LATENCY_EVENTS * 9 / 10] / 1e6,
                            latencies[LATENCY_EVENTS - 1] / 1e6,
                            BURST_EVENTS / seconds));
                }
                matcher.terminate();
                run++;
            }
        }
        System.out.println("| matcher | latency p50 / p90 / max (" + LATENCY_EVENTS + " single events) | burst of "
                + BURST_EVENTS + " |");
        System.out.println("|---|---|---|");
        lines.forEach(System.out::println);
    }

    /** Sends one event of a new subject and waits until its task is readable; the nanoseconds it took. */
    private static long single(
            MatcherFixture.Events events, MatcherFixture.Tasks tasks, Map<String, Long> arrived, String subject) {
        long sent = System.nanoTime();
        events.send(subject);
        events.flush();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> {
            tasks.poll();
            return arrived.containsKey(subject);
        });
        return arrived.get(subject) - sent;
    }
}
