package io.campanello.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The run's markdown: one row per path, the ratios between paths, and the checks. */
final class Report {

    /** Everything measured on one path. {@code pacedRate}: deliveries/s offered in the paced phase. */
    record PathResult(
            Peer peer, List<Phase.Result> warmUp, Phase.Result full, Phase.Result paced, double pacedRate) {

        List<Phase.Result> phases() {
            List<Phase.Result> all = new ArrayList<>(warmUp);
            all.add(full);
            all.add(paced);
            return all;
        }

        long warmUpDeliveries() {
            return warmUp.stream().mapToLong(r -> r.stats().distinct()).sum();
        }

        List<String> failures() {
            List<String> all = new ArrayList<>();
            for (Phase.Result r : phases()) {
                r.failures().forEach(f -> all.add(r.phase() + ": " + f));
            }
            return all;
        }
    }

    private Report() {}

    /** Prints the tables; returns whether every check of every path passed. */
    static boolean print(Settings settings, List<PathResult> results) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Flat out: %,d deliveries per path, after warming up in rounds of %,d until the JIT compiler took "
                        + "under 5 %% of the path's CPU in a round (the column 'warm-up'); paced: half the flat-out rate "
                        + "for %.0f s. CPU: user + system seconds per 1,000 deliveries; 'JIT': the compiler threads' "
                        + "share of the path's CPU flat out.%n%n",
                settings.records(),
                settings.warmUp(),
                settings.pacedSeconds());
        System.out.println("| path | warm-up | deliveries/s | CPU s/1k: path | JIT | CPU s/1k: receiver "
                + "| CPU s/1k: producer | p50 / p99 flat out | paced at | p50 / p99 paced "
                + "| processes counted for the path | checks |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (PathResult r : results) {
            List<String> failures = r.failures();
            long delivered = r.phases().stream()
                    .mapToLong(phase -> phase.stats().distinct())
                    .sum();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %,.0f | %.3f | %.0f %% | %.3f | %.3f | %s / %s | %,.0f/s | %s / %s | %s | %s |%n",
                    r.peer().name(),
                    r.warmUpDeliveries(),
                    r.full().deliveriesPerSecond(),
                    r.full().perThousand(r.full().pathCpu()),
                    100 * r.full().compilerShare(),
                    r.full().perThousand(r.full().receiverCpu()),
                    r.full().perThousand(r.full().producerCpu()),
                    millis(r.full().stats().p50Micros()),
                    millis(r.full().stats().p99Micros()),
                    r.pacedRate(),
                    millis(r.paced().stats().p50Micros()),
                    millis(r.paced().stats().p99Micros()),
                    r.peer().processes(),
                    failures.isEmpty()
                            ? String.format(Locale.ROOT, "%,d delivered once each, 0 missing, 0 duplicates", delivered)
                            : "**FAILED**");
        }
        System.out.println();
        for (PathResult r : results) {
            System.out.println("- " + r.peer().name() + ": " + r.peer().label());
        }
        System.out.println();
        byThreads(results);
        ratios("Flat-out deliveries/s, row ÷ column", results, r -> r.full().deliveriesPerSecond());
        ratios("CPU seconds per 1,000 deliveries (path), row ÷ column", results, r -> r.full()
                .perThousand(r.full().pathCpu()));
        ratios("p99 at half the flat-out rate, row ÷ column", results, r -> r.paced().stats().p99Micros());
        boolean ok = true;
        for (PathResult r : results) {
            for (String failure : r.failures()) {
                System.out.println("peers CHECK FAILED " + r.peer().name() + " " + failure);
                ok = false;
            }
        }
        System.out.println(ok ? "peers all checks passed" : "peers SOME CHECKS FAILED");
        return ok;
    }

    private static void ratios(String title, List<PathResult> results, ToDoubleFunction<PathResult> figure) {
        System.out.println(title + ":");
        System.out.println();
        StringBuilder header = new StringBuilder("| |");
        StringBuilder rule = new StringBuilder("|---|");
        for (PathResult column : results) {
            header.append(' ').append(column.peer().name()).append(" |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (PathResult row : results) {
            StringBuilder line = new StringBuilder("| " + row.peer().name() + " |");
            for (PathResult column : results) {
                double divisor = figure.applyAsDouble(column);
                line.append(divisor == 0
                        ? " — |"
                        : String.format(Locale.ROOT, " %.2f |", figure.applyAsDouble(row) / divisor));
            }
            System.out.println(line);
        }
        System.out.println();
    }

    /** Flat out: the path's CPU per delivery by the threads that spent it ({@link ThreadGroups}), in µs. */
    private static void byThreads(List<PathResult> results) {
        if (results.isEmpty()) {
            return;
        }
        // Every path has every group, in the same order; a group no path spent 1 µs in is left out.
        List<String> groups = results.get(0).full().pathCpuByThreads().keySet().stream()
                .filter(group -> results.stream()
                        .anyMatch(r -> r.full().microsPerDelivery(r.full().pathCpuByThreads().get(group)) > 0))
                .toList();
        System.out.println("Flat out: the path's CPU per delivery (µs) by the threads that spent it:");
        System.out.println();
        System.out.println("| path | " + String.join(" | ", groups) + " | all |");
        System.out.println("|---|" + "---|".repeat(groups.size() + 1));
        for (PathResult r : results) {
            StringBuilder line = new StringBuilder("| " + r.peer().name() + " |");
            for (String group : groups) {
                line.append(' ').append(r.full().microsPerDelivery(r.full().pathCpuByThreads().get(group))).append(" |");
            }
            line.append(' ').append(r.full().microsPerDelivery(r.full().pathCpu())).append(" |");
            System.out.println(line);
        }
        System.out.println();
    }

    private static String millis(long micros) {
        String format = micros >= 100_000 ? "%,.0f ms" : micros >= 10_000 ? "%.1f ms" : "%.2f ms";
        return String.format(Locale.ROOT, format, micros / 1e3);
    }
}
