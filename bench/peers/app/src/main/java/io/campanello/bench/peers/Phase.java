package io.campanello.bench.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured phase of a path: records 0..n-1 sent (flat out or paced), waited for at the receiver until every
 * expected delivery arrived or nothing moved for {@code bench.stall} seconds, then counted and checked. Each phase
 * (and each probe) has its own number in the records, so a late record of an earlier one is never counted.
 */
final class Phase {

    /** What a phase measured; CPU in seconds over the phase, latency in µs. */
    record Result(
            String phase,
            long records,
            long expected,
            ReceiverClient.Stats stats,
            double deliveriesPerSecond,
            double sendSeconds,
            double pathCpu,
            double compilerCpu,
            double receiverCpu,
            double producerCpu,
            Map<String, Double> pathCpuByThreads,
            List<String> failures) {

        /** The JIT compiler's share of the path's CPU in this phase. */
        double compilerShare() {
            return pathCpu <= 0 ? 0 : compilerCpu / pathCpu;
        }

        /** The path's CPU per delivery by thread group, in µs: "broker 61 µs, dispatcher 40 µs, …" (none under 1). */
        String perDelivery() {
            StringBuilder text = new StringBuilder();
            pathCpuByThreads.forEach((group, seconds) -> {
                long micros = microsPerDelivery(seconds);
                if (micros > 0) {
                    text.append(text.isEmpty() ? "" : ", ").append(group).append(' ').append(micros).append(" µs");
                }
            });
            return text.toString();
        }

        long microsPerDelivery(double cpuSeconds) {
            return Math.round(perThousand(cpuSeconds) * 1_000);
        }

        double perThousand(double cpuSeconds) {
            return stats.distinct() == 0 ? 0 : cpuSeconds * 1_000 / stats.distinct();
        }
    }

    private static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stall", 30));
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.phaseLimit", 600));

    private final ReceiverClient receiver;
    private final long receiverPid;
    private final boolean hops;
    private int phases;

    Phase(ReceiverClient receiver, long receiverPid, boolean hops) {
        this.receiver = receiver;
        this.receiverPid = receiverPid;
        this.hops = hops;
    }

    Result run(Peer peer, String phase, long records, double deliveriesPerSecond) {
        long expected = records * peer.fanOut();
        int number = ++phases;
        receiver.reset(number, records);
        long self = ProcessHandle.current().pid();
        Map<String, Double> threads0 = ThreadGroups.snapshot(peer.cpuPids().get());
        long switches0 = Processes.contextSwitches();
        double receiver0 = Processes.cpuSeconds(receiverPid);
        double producer0 = Processes.cpuSeconds(self);
        Hops onTopics = hops && deliveriesPerSecond > 0 && !peer.topics().isEmpty()
                ? new Hops(Stack.BOOTSTRAP, peer.topics(), number)
                : null;
        long start = System.nanoTime();
        long refused = peer.load().send(number, records, deliveriesPerSecond / peer.fanOut());
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        awaitDeliveries(peer.prefix(), expected);
        String hopsSummary = onTopics == null ? null : onTopics.summary();
        Map<String, Double> byThreads = ThreadGroups.since(threads0, ThreadGroups.snapshot(peer.cpuPids().get()));
        double pathCpu = byThreads.values().stream().mapToDouble(Double::doubleValue).sum();
        double compilerCpu = byThreads.getOrDefault(ThreadGroups.JIT, 0.0);
        long switches = Processes.contextSwitches() - switches0;
        double receiverCpu = Processes.cpuSeconds(receiverPid) - receiver0;
        double producerCpu = Processes.cpuSeconds(self) - producer0;
        ReceiverClient.Stats stats = receiver.stats(peer.prefix());
        List<String> failures = new ArrayList<>();
        if (refused > 0) {
            failures.add(refused + " records refused by the path's entry");
        }
        if (stats.distinct() < expected) {
            failures.add((expected - stats.distinct()) + " of " + expected + " deliveries missing");
        }
        if (stats.duplicates() > 0) {
            failures.add(stats.duplicates() + " duplicate deliveries");
        }
        if (stats.unreadable() > 0) {
            failures.add(stats.unreadable() + " requests without a readable seq/sentNanos");
        }
        if (stats.distinctByEndpoint().size() != peer.endpoints()) {
            failures.add(stats.distinctByEndpoint().size() + " endpoints reached, " + peer.endpoints() + " expected");
        }
        stats.distinctByEndpoint().forEach((endpoint, distinct) -> {
            long due = peer.recordsAt(endpoint, records);
            if (distinct != due) {
                failures.add(endpoint + " got " + distinct + " of " + due + " records");
            }
        });
        double span = (stats.t90() - stats.t10()) / 1e9;
        double rate = span > 0.05 ? 0.8 * stats.distinct() / span : stats.distinct() / ((stats.last() - start) / 1e9);
        Result result = new Result(
                phase,
                records,
                expected,
                stats,
                rate,
                sendSeconds,
                pathCpu,
                compilerCpu,
                receiverCpu,
                producerCpu,
                byThreads,
                failures);
        Peers.say(
                "%s %s: %,d of %,d deliveries, %,d duplicates, %,.0f deliveries/s (%,.0f/s from the first send to the "
                        + "last receipt), p50 %.2f ms, p99 %.2f ms, "
                        + "CPU path %.2f s (JIT compiler %.2f s), receiver %.2f s, producer %.2f s%s",
                peer.name(),
                phase,
                stats.distinct(),
                expected,
                stats.duplicates(),
                rate,
                stats.distinct() / ((stats.last() - start) / 1e9),
                stats.p50Micros() / 1e3,
                stats.p99Micros() / 1e3,
                pathCpu,
                compilerCpu,
                receiverCpu,
                producerCpu,
                failures.isEmpty() ? "" : " — FAILED: " + String.join("; ", failures));
        Peers.say(
                "%s %s, the path's CPU per delivery by thread group: %s; the machine's context switches per delivery: "
                        + "%.1f",
                peer.name(),
                phase,
                result.perDelivery(),
                stats.distinct() == 0 ? 0 : switches / (double) stats.distinct());
        if (hopsSummary != null) {
            Peers.say(
                    "%s %s, read on its topics by the benchmark's consumer, from the producer's send: %s; receiver "
                            + "p50 %.1f ms / p99 %.1f ms",
                    peer.name(),
                    phase,
                    hopsSummary,
                    stats.p50Micros() / 1e3,
                    stats.p99Micros() / 1e3);
        }
        return result;
    }

    /** Sends record 0 (records 0..n-1 to n split endpoints) until every endpoint has one: the path is connected. */
    void probe(Peer peer, Duration limit) {
        int number = ++phases;
        int records = peer.probeRecords();
        receiver.reset(number, records);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            peer.load().send(number, records, 0);
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                if (receiver.count(peer.prefix()) >= peer.endpoints()) {
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        throw new IllegalStateException(peer.name() + ": the probe record did not reach all " + peer.endpoints()
                + " endpoints within " + limit);
    }

    private void awaitDeliveries(String prefix, long expected) {
        long start = System.nanoTime();
        long lastCount = -1;
        long lastProgress = start;
        while (true) {
            long count = receiver.count(prefix);
            long now = System.nanoTime();
            if (count >= expected) {
                return;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            }
            if (now - lastProgress > STALL.toNanos() || now - start > LIMIT.toNanos()) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
