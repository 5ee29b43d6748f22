package io.campanello.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a path's CPU went, by the threads that spent it: each thread of the path's processes is put in a group by
 * its name as Linux keeps it ({@code /proc/<pid>/task/<tid>/comm}: the JVM's thread name cut to 15 characters), and
 * a phase's CPU per group is the difference of two snapshots. What no rule names, and the threads that ended during
 * the phase, are "other" (the process's total minus the named groups).
 */
final class ThreadGroups {

    /** The groups in the order they are printed, each with the thread names it takes (first rule wins). */
    private static final Map<String, Pattern> GROUPS = groups();

    private static final String OTHER = "other";

    /**
     * HotSpot's JIT compiler threads ("C1 CompilerThread", "C2 CompilerThread"): how much of a JVM's CPU is still
     * warming up. HotSpot starts and stops them as its queue varies.
     */
    static final String JIT = "JIT";

    private ThreadGroups() {}

    private static Map<String, Pattern> groups() {
        Map<String, Pattern> groups = new LinkedHashMap<>();
        groups.put(JIT, Pattern.compile("C[12] CompilerThre.*"));
        groups.put("GC+VM", Pattern.compile("(GC Thread|G1 |VM Thread|VM Periodic).*"));
        groups.put(
                "broker",
                Pattern.compile("(data-plane-kafk|group-coordina|kafka-schedule|quorum-control|kafka-\\d+-raft|"
                        + "kafka-\\d+-meta|ExpirationReap|executor-|broker-\\d|controller-\\d|kafka-log-clea|"
                        + "share-|raft-|persister-|client-metrics|network-partit).*"));
        groups.put("Kafka client I/O", Pattern.compile("(kafka-producer-|kafka-coordinat|kafka-admin-cli).*"));
        groups.put("HTTP ingest", Pattern.compile("webflux-http-ep.*"));
        groups.put("source listener", Pattern.compile("sourceTopics-.*"));
        groups.put("matcher", Pattern.compile("campanello-matc.*"));
        groups.put("dispatcher", Pattern.compile("(deliveries|webhooks-epoll-.*)"));
        groups.put("history", Pattern.compile("campanello-hist.*"));
        groups.put("listener consumers", Pattern.compile("org\\.springfram.*"));
        groups.put("listener HTTP", Pattern.compile("reactor-http-.*"));
        groups.put("Connect tasks", Pattern.compile("(task-thread-|OkHttp|http-sink).*"));
        return groups;
    }

    /** CPU seconds so far per group (and {@link #OTHER}) over the processes. */
    static Map<String, Double> snapshot(List<Long> pids) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        GROUPS.keySet().forEach(group -> seconds.put(group, 0.0));
        double named = 0;
        double total = 0;
        for (long pid : pids) {
            total += Processes.cpuSeconds(pid);
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip();
                        for (var group : GROUPS.entrySet()) {
                            if (group.getValue().matcher(name).matches()) {
                                double cpu = Processes.cpuSeconds(task.resolve("stat"));
                                seconds.merge(group.getKey(), cpu, Double::sum);
                                named += cpu;
                                break;
                            }
                        }
                    } catch (IOException | UncheckedIOException gone) {
                        // a thread that ended meanwhile: its time stays in the process's total, so in "other"
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the threads of " + pid, e);
            }
        }
        seconds.put(OTHER, Math.max(0, total - named));
        return seconds;
    }

    /** What each group spent between two snapshots; together, all the processes spent. */
    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.forEach((group, seconds) -> spent.put(group, seconds - before.getOrDefault(group, 0.0)));
        return spent;
    }
}
