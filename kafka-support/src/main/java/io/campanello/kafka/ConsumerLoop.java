package io.campanello.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 */
public abstract class ConsumerLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Map<String, Object> consumerConfig;
    private final String groupId;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    /**
     * @param groupId the consumer group, or null for a consumer that assigns its partitions itself
     */
    protected ConsumerLoop(String name, Map<String, Object> consumerConfig, String groupId) {
        this.name = name;
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.groupId = groupId;
    }

    /** Reads until {@link #running()} turns false; a wake-up from {@link #stop()} ends it too. */
    protected abstract void consume(KafkaConsumer<String, byte[]> consumer) throws InterruptedException;

    /** The loop failed: what it held stays on its topic. */
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

    @Override
    public void start() {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        if (groupId == null) {
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        } else {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            consume(consumer);
        } catch (WakeupException stopping) {
            // stop() woke the consumer up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void stop() {
        running = false;
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
