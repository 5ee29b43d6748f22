package io.campanello.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A plain Kafka consumer on a thread of its own, for the places where a listener container does not fit (tables
 * read from the start, tiers held until due, pausing partitions): it commits nothing by itself, reads raw bytes,
 * and stops promptly by waking its consumer up.
 *
 * <p>It never dies silently. When {@link #consume} fails, what it held stays on its topic (uncommitted), the
 * consumer is closed and, after a back-off, {@link #consume} is called again with a fresh consumer; a subclass must
 * therefore forget, at the start of {@link #consume}, what it kept about the previous consumer's partitions. When
 * restarts keep failing, or the failure is one a restart cannot cure ({@link ConsumerRecovery}), the loop stops and
 * the service's liveness turns DOWN ({@link Liveness}).
 */
public abstract class ConsumerLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Map<String, Object> consumerConfig;
    private final String groupId;
    private final UnreadableRecords unreadable;
    private volatile ConsumerRecovery recovery = ConsumerRecovery.DEFAULTS;
    private volatile Liveness liveness;
    private volatile MeterRegistry meters = Metrics.globalRegistry;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile CountDownLatch stopped = new CountDownLatch(0);

    /**
     * @param groupId the consumer group, or null for a consumer that assigns its partitions itself
     */
    protected ConsumerLoop(String name, Map<String, Object> consumerConfig, String groupId) {
        this.name = name;
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.groupId = groupId;
        this.unreadable = new UnreadableRecords(name);
    }

    /**
     * Reads until {@link #running()} turns false; a wake-up from {@link #stop()} ends it too. Called again with a
     * fresh consumer after a failure.
     */
    protected abstract void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException;

    /** The loop failed: what it held stays on its topic; it restarts unless restarts keep failing. */
    protected void failed(RuntimeException e) {
        log.error("{} consumer failed", name, e);
    }

    protected final boolean running() {
        return running;
    }

    /** How long {@link #stop()} waits for the loop to end; a loop that hands back work on stop may need longer. */
    protected Duration stopTimeout() {
        return STOP_TIMEOUT;
    }

    /** Counts a record this loop could not read and went past, in {@value UnreadableRecords#METRIC}. */
    protected final void unreadable(ConsumerRecord<?, ?> record, String reason) {
        unreadable.count(record, reason);
    }

    /** Set by kafka-support's auto-configuration on every loop that is a bean; before {@link #start()}. */
    final void supervise(ConsumerRecovery recovery, Liveness liveness, MeterRegistry meters) {
        this.recovery = recovery;
        this.liveness = liveness;
        this.meters = meters;
        this.unreadable.countInto(meters);
    }

    @Override
    public void start() {
        consumer = newConsumer();
        running = true;
        stopped = new CountDownLatch(1);
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        if (groupId == null) {
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        } else {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void loop() {
        int failures = 0;
        while (running) {
            long startedAt = System.nanoTime();
            Throwable failure = run(consumer);
            if (!running) {
                return;
            }
            if (failure == null) {
                failure = new IllegalStateException("consume() returned while the loop was running");
            }
            failures = recovery.failuresInARow(failures, Duration.ofNanos(System.nanoTime() - startedAt));
            ConsumerRecovery.Decision decision = recovery.afterFailure(failures, failure);
            if (decision instanceof ConsumerRecovery.Restart restart) {
                log.warn(
                        "consumer restarts after a failure consumer={} failures_in_a_row={} backoff={} error={}",
                        name,
                        failures,
                        restart.backoff(),
                        failure.toString());
                Counter.builder("campanello.consumer.restarts")
                        .description("Restarts of a consumer after a failure")
                        .tag("consumer", name)
                        .register(meters)
                        .increment();
                if (!awaitBackoff(restart.backoff()) || !reopen()) {
                    return;
                }
            } else {
                giveUp(((ConsumerRecovery.GiveUp) decision).why(), failure);
                return;
            }
        }
    }

    /** Runs {@link #consume} once and closes the consumer; the failure that ended it, or null. */
    private Throwable run(KafkaConsumer<String, byte[]> current) {
        try {
            consume(current);
            return null;
        } catch (WakeupException e) {
            return running ? e : null; // stop() woke the consumer up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running ? e : null;
        } catch (RuntimeException e) {
            failed(e);
            return e;
        } catch (Error e) {
            return e;
        } finally {
            close(current);
        }
    }

    private void close(KafkaConsumer<String, byte[]> current) {
        try {
            current.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (KafkaException e) {
            log.warn("could not close a consumer cleanly consumer={} error={}", name, e.toString());
        }
    }

    /** Waits out a back-off; false when the loop was stopped meanwhile. */
    private boolean awaitBackoff(Duration backoff) {
        try {
            return !stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS) && running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A fresh consumer, unless the loop was stopped meanwhile; false when it stopped. */
    private boolean reopen() {
        try {
            consumer = newConsumer();
        } catch (KafkaException e) {
            giveUp("cannot create a consumer", e);
            return false;
        }
        if (!running) {
            close(consumer);
            return false;
        }
        return true;
    }

    private void giveUp(String why, Throwable failure) {
        running = false;
        if (liveness == null) {
            log.error("consumer stopped for good consumer={} reason={}", name, why, failure);
        } else {
            liveness.broken(name, why, failure);
        }
    }

    @Override
    public void stop() {
        running = false;
        stopped.countDown();
        KafkaConsumer<String, byte[]> woken = consumer;
        if (woken != null) {
            woken.wakeup();
        }
        Thread loop = thread;
        if (loop != null && loop != Thread.currentThread()) {
            try {
                loop.join(stopTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
