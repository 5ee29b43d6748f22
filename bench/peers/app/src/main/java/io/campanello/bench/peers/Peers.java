package io.campanello.bench.peers;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs every path of {@code bench/peers.sh} on one machine, one after the other, against the same receiver, broker
 * and records: (raw) a client posting straight to the receiver; (naive) a spring-kafka listener; (connect) Kafka
 * Connect's HTTP sink; (source) Campanello from a source topic, one subscription; (fanout) Campanello from
 * {@code POST /v1/events}, 20 subscriptions on the type. Each path: a probe until every endpoint is reached, a
 * warm-up, a flat-out phase and a phase paced at half its flat-out rate. Prints a markdown table and exits 1
 * when a check failed.
 */
public final class Peers {

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        Files.createDirectories(settings.work());
        Processes processes = new Processes(settings.work());
        Stack stack = new Stack(settings, processes);
        List<Report.PathResult> results = new ArrayList<>();
        boolean ok;
        try {
            say("work directory %s (each process's log is there); java %s, %d cores",
                    settings.work(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            stack.startReceiver();
            long started = System.nanoTime();
            stack.startStandalone();
            say("receiver on port %d; standalone (broker and Campanello) ready in %.1f s",
                    stack.receiverPort, (System.nanoTime() - started) / 1e9);
            ReceiverClient receiver = new ReceiverClient(stack.receiverPort);
            Phase phases = new Phase(receiver, stack.receiverPid, settings.hops());
            warmUpReceiver(settings, receiver);
            double idle = idleCpu(stack.standalonePid, Duration.ofSeconds(3));
            say("standalone JVM idle (broker, Campanello without work): %.3f CPU s/s; it is counted in every Kafka "
                    + "path's CPU", idle);
            Paths paths = new Paths(settings, processes, stack, receiver);
            for (String name : settings.paths()) {
                Peer peer = paths.open(name);
                try {
                    results.add(measure(settings, phases, peer));
                } finally {
                    peer.load().close();
                    peer.stop().run();
                }
            }
            ok = Report.print(settings, results);
        } finally {
            stack.close();
            processes.stopAll();
        }
        System.exit(ok ? 0 : 1);
    }

    /** Posts to the receiver until its JIT is warm, so that the first path does not meet a cold receiver. */
    private static void warmUpReceiver(Settings settings, ReceiverClient receiver) {
        long started = System.nanoTime();
        receiver.reset(0, settings.receiverWarmUp());
        try (Load load = new Load.Http(receiver.url("/warm-up"), Events.ORDER_TYPE, null, settings.httpConcurrency())) {
            load.send(0, settings.receiverWarmUp(), 0);
        }
        say("receiver warmed up with %,d requests in %.1f s", settings.receiverWarmUp(),
                (System.nanoTime() - started) / 1e9);
    }

    private static double idleCpu(long pid, Duration window) {
        double before = Processes.cpuSeconds(pid);
        LockSupport.parkNanos(window.toNanos());
        return (Processes.cpuSeconds(pid) - before) / (window.toNanos() / 1e9);
    }

    private static Report.PathResult measure(Settings settings, Phase phases, Peer peer) {
        say("%s: %s", peer.name(), peer.label());
        phases.probe(peer, Duration.ofSeconds(90));
        long fanOut = peer.fanOut();
        List<Phase.Result> warmUp = warmUp(settings, phases, peer);
        Phase.Result full = phases.run(peer, "flat out", Math.max(1, settings.records() / fanOut), 0);
        double half = full.deliveriesPerSecond() / 2;
        long pacedRecords = Math.max(1, (long) (half * settings.pacedSeconds() / fanOut));
        Phase.Result paced = phases.run(peer, "paced", pacedRecords, half);
        return new Report.PathResult(peer, warmUp, full, paced, half);
    }

    /**
     * Rounds of {@code bench.warmup} deliveries until the path's JVMs are warm: until the JIT compiler threads took
     * less than {@link #SETTLED} of the path's CPU in a round (at most {@code bench.warmupRounds}). Every path gets
     * the same rule, so a large JVM (the standalone: a broker and every service, whose compiler runs for a minute
     * or more) is measured warm, as it runs in production, and so is a small one.
     */
    private static List<Phase.Result> warmUp(Settings settings, Phase phases, Peer peer) {
        List<Phase.Result> rounds = new ArrayList<>();
        for (int round = 1; round <= settings.warmUpRounds(); round++) {
            Phase.Result result =
                    phases.run(peer, "warm-up " + round, Math.max(1, settings.warmUp() / peer.fanOut()), 0);
            rounds.add(result);
            if (result.compilerShare() < SETTLED) {
                break;
            }
        }
        return rounds;
    }

    /** The compiler's share of a path's CPU under which its JVMs count as warm. */
    private static final double SETTLED = 0.05;

    private static final long STARTED = System.nanoTime();

    static void say(String format, Object... args) {
        System.out.printf(
                Locale.ROOT,
                "peers %5.1f s %s%n",
                (System.nanoTime() - STARTED) / 1e9,
                String.format(Locale.ROOT, format, args));
    }
}
