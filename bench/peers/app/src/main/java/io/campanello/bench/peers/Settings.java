package io.campanello.bench.peers;

import java.nio.file.Path;
import java.util.List;

/**
 * The run's sizes and where things are, from system properties (bench/peers.sh sets them from BENCH_* variables).
 *
 * @param records deliveries per path in the flat-out phase (the fan-out path sends records / fan-out events)
 * @param warmUp deliveries per warm-up round of a path (the JVMs' JIT)
 * @param warmUpRounds warm-up rounds of a path at most (fewer once its CPU per delivery has settled)
 * @param receiverWarmUp requests posted to the receiver before the first path
 * @param pacedSeconds how long the paced phase (half the flat-out rate) lasts
 * @param standaloneOptions extra JVM options for the standalone (e.g. a flight recording), none by default
 * @param hops whether the paced phases also note when their records could be read on each topic ({@link Hops})
 */
record Settings(
        List<String> paths,
        long records,
        long warmUp,
        int warmUpRounds,
        long receiverWarmUp,
        double pacedSeconds,
        int partitions,
        int fanOut,
        int httpConcurrency,
        int connectPoolSize,
        String java,
        String appClassPath,
        String workerClassPath,
        Path pluginPath,
        String standaloneJar,
        List<String> standaloneOptions,
        boolean hops,
        Path work) {

    static Settings fromSystemProperties() {
        return new Settings(
                List.of(System.getProperty("bench.paths", "raw,naive,connect,source,fanout").split(",")),
                Long.getLong("bench.records", 50_000),
                Long.getLong("bench.warmup", 10_000),
                Integer.getInteger("bench.warmupRounds", 30),
                Long.getLong("bench.receiverWarmup", 20_000),
                Double.parseDouble(System.getProperty("bench.pacedSeconds", "20")),
                Integer.getInteger("bench.partitions", 6),
                Integer.getInteger("bench.fanOut", 20),
                Integer.getInteger("bench.httpConcurrency", 64),
                Integer.getInteger("bench.connectPool", 64),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"),
                System.getProperty("bench.workerClassPath"),
                Path.of(System.getProperty("bench.pluginPath")),
                System.getProperty("bench.standaloneJar"),
                List.of(System.getProperty("bench.standaloneOptions", "").trim().split("\\s+")).stream()
                        .filter(option -> !option.isEmpty())
                        .toList(),
                Boolean.getBoolean("bench.hops"),
                Path.of(System.getProperty("bench.work")));
    }
}
