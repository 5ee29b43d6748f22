package io.campanello.bench.peers;

import java.util.List;
import java.util.function.Supplier;

/**
 * One path from a producer to the receiver: how its records are sent, where they arrive ({@code prefix}, on
 * {@code endpoints} endpoints, each record delivered {@code fanOut} times), the processes whose CPU is the path's,
 * and how to stop what it started.
 *
 * @param cpuPids the path's processes (for the Kafka paths, with the JVM hosting the broker)
 */
record Peer(
        String name,
        String label,
        String processes,
        String prefix,
        int endpoints,
        int fanOut,
        Load load,
        Supplier<List<Long>> cpuPids,
        Runnable stop) {}
