package io.campanello.bench.peers;

import java.util.List;
import java.util.function.Supplier;

/**
 * One path from a producer to the receiver: how its records are sent, where they arrive ({@code prefix}, on
 * {@code endpoints} endpoints, each record delivered {@code fanOut} times), the processes whose CPU is the path's,
 * and how to stop what it started. With more endpoints than the fan-out the records are split: each goes to one
 * endpoint, number {@code seq % endpoints} (its path ends in that number).
 *
 * @param topics the Kafka topics a record passes through before the receiver, in order ({@link Hops})
 * @param cpuPids the path's processes (for the Kafka paths, with the JVM hosting the broker)
 */
record Peer(
        String name,
        String label,
        String processes,
        String prefix,
        int endpoints,
        int fanOut,
        List<String> topics,
        Load load,
        Supplier<List<Long>> cpuPids,
        Runnable stop) {

    boolean split() {
        return endpoints > fanOut;
    }

    /** How many of records 0..n-1 one endpoint (its path) must receive. */
    long recordsAt(String endpoint, long records) {
        if (!split()) {
            return records;
        }
        int number = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf('/') + 1));
        return records / endpoints + (number < records % endpoints ? 1 : 0);
    }

    /** Records a probe sends so that every endpoint gets one. */
    int probeRecords() {
        return split() ? endpoints : 1;
    }
}
