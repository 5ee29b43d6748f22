package io.campanello.bench.peers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a path's time goes ({@code BENCH_HOPS=1}): while a phase runs, a consumer of the benchmark's own reads the
 * Kafka topics its records pass through (from their ends, without a group) and notes, for each record of the phase,
 * when it could be read there, from the producer's send. Every topic's figure holds this consumer's own delay (the
 * same for all), so the differences between consecutive topics are the hops' own. The records are found by the
 * phase and {@code sentNanos} that {@link Events} puts in their data, which every stage carries verbatim (JSON, or an
 * Avro string). Off by default: the consumer's CPU is taken from the same two cores as the path's.
 */
final class Hops implements AutoCloseable {

    private static final byte[] PHASE = "\"phase\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT = "\"sentNanos\":".getBytes(StandardCharsets.US_ASCII);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final int phase;
    private final Map<String, long[]> latencies = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts reading the topics' ends; returns once the consumer stands at them. */
    Hops(String bootstrapServers, List<String> topics, int phase) {
        this.topics = topics;
        this.phase = phase;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            latencies.put(topic, new long[1 << 16]);
            counts.put(topic, 0);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::read, "hops");
        thread.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    byte[] value = record.value();
                    int at = value == null ? -1 : after(value, PHASE, 0);
                    if (at >= 0 && number(value, at) == phase) {
                        int sent = after(value, SENT, at);
                        if (sent >= 0) {
                            note(record.topic(), now - number(value, sent));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The index just after the first {@code mark} at or after {@code from}, or -1. */
    private static int after(byte[] value, byte[] mark, int from) {
        outer:
        for (int i = from; i <= value.length - mark.length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (value[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return i + mark.length;
        }
        return -1;
    }

    /** The decimal digits at {@code at}. */
    private static long number(byte[] value, int at) {
        long number = 0;
        for (int i = at; i < value.length && value[i] >= '0' && value[i] <= '9'; i++) {
            number = number * 10 + (value[i] - '0');
        }
        return number;
    }

    private void note(String topic, long nanos) {
        int count = counts.get(topic);
        long[] all = latencies.get(topic);
        if (count == all.length) {
            all = Arrays.copyOf(all, all.length * 2);
            latencies.put(topic, all);
        }
        all[count] = nanos;
        counts.put(topic, count + 1);
    }

    /** Stops reading; then, per topic in path order: "topic n=… p50 … ms / p99 … ms". */
    String summary() {
        close();
        StringBuilder summary = new StringBuilder();
        for (String topic : topics) {
            long[] sorted = Arrays.copyOf(latencies.get(topic), counts.get(topic));
            Arrays.sort(sorted);
            summary.append(summary.isEmpty() ? "" : "; ").append(topic);
            if (sorted.length == 0) {
                summary.append(" nothing read");
            } else {
                summary.append(String.format(
                        java.util.Locale.ROOT,
                        " n=%,d p50 %.1f ms / p99 %.1f ms",
                        sorted.length,
                        sorted[sorted.length / 2] / 1e6,
                        sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * 0.99))] / 1e6));
            }
        }
        return summary.toString();
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
