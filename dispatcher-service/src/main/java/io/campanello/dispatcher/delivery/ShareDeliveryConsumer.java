package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryTask;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * The share-group alternative to {@link DeliveryConsumer} ({@code campanello.dispatcher.consumer=share}; see
 * {@code docs/dispatcher.md} for the measurements and why it is not the default). Fresh deliveries and due retries
 * are each read by {@code campanello.dispatcher.share.consumers} share consumers of one share group, each on a thread
 * of its own. A consumer takes a batch of at most {@code max-in-flight / consumers} records, starts every delivery
 * without waiting, and acknowledges each record on its own polling thread as its delivery finishes: {@code ACCEPT}
 * when the outcome is recorded, {@code RELEASE} when it could not be (the broker hands the record out again), an
 * unreadable record goes to the dead-letter topic and is accepted. In explicit acknowledgement mode Kafka refuses the
 * next {@code poll()} until every record of the previous one is acknowledged, so each consumer holds one batch at a
 * time and the slowest delivery of a batch holds that consumer. On stop, reading stops, in-flight deliveries get
 * {@code shutdown-timeout} to finish, what did not finish is released and the acknowledgements are committed.
 */
@Component
@ConditionalOnProperty(name = "campanello.dispatcher.consumer", havingValue = "share")
class ShareDeliveryConsumer implements SmartLifecycle {

    /** The dispatcher's share group (a group id is either a consumer group or a share group, never both). */
    static final String GROUP_ID = "campanello-dispatcher-share";

    private static final Logger log = LoggerFactory.getLogger(ShareDeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofMillis(100);

    /** Client configurations a share consumer refuses; the shared consumer defaults may carry some of them. */
    private static final List<String> NOT_FOR_SHARE_CONSUMERS = List.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
            ConsumerConfig.CLIENT_ID_CONFIG);

    private final KafkaProperties kafka;
    private final List<String> topics;
    private final Dispatcher dispatcher;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final int consumersPerTopic;
    private final int batch;
    private final Duration shutdownTimeout;
    private final InFlight inFlight;
    private final List<Reader> readers = new ArrayList<>();
    private volatile boolean running;
    private volatile long stopDeadline;

    ShareDeliveryConsumer(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            DispatcherProperties dispatcherProperties,
            Dispatcher dispatcher,
            DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry meters,
            @Value("${campanello.dispatcher.share.consumers:4}") int consumersPerTopic) {
        this.kafka = kafka;
        this.topics =
                List.of(properties.topics().deliveries(), properties.topics().redeliveries());
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.consumersPerTopic = Math.max(1, consumersPerTopic);
        this.batch = Math.max(1, dispatcherProperties.maxInFlight() / this.consumersPerTopic);
        this.shutdownTimeout = dispatcherProperties.shutdownTimeout();
        this.inFlight = new InFlight(topics, meters);
    }

    @Override
    public synchronized void start() {
        configureGroup();
        running = true;
        Map<String, Object> config = consumerConfig();
        log.info(
                "reading deliveries with share group {}: {} share consumers per topic, at most {} records each",
                GROUP_ID,
                consumersPerTopic,
                batch);
        for (String topic : topics) {
            for (int i = 0; i < consumersPerTopic; i++) {
                Map<String, Object> own = new HashMap<>(config);
                own.put(ConsumerConfig.CLIENT_ID_CONFIG, "campanello-dispatcher-" + topic + "-" + i);
                Reader reader = new Reader(topic, own);
                readers.add(reader);
                reader.thread.start();
            }
        }
    }

    /**
     * A new share group starts at the end of its topics and reads aborted transactions; the dispatcher needs every
     * task written before it first started, and none from an aborted replay.
     */
    private void configureGroup() {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, GROUP_ID);
        List<AlterConfigOp> settings = List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(
                        new ConfigEntry("share.isolation.level", "read_committed"), AlterConfigOp.OpType.SET));
        try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
            admin.incrementalAlterConfigs(Map.of(group, settings)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + GROUP_ID, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not configure share group " + GROUP_ID + "; are share groups enabled on the brokers?", e);
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        NOT_FOR_SHARE_CONSUMERS.forEach(config::remove);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // At most the batch per poll, so max-in-flight holds (batch_optimized may return more).
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch);
        return config;
    }

    @Override
    public synchronized void stop() {
        stopDeadline = System.nanoTime() + shutdownTimeout.toNanos();
        running = false;
        readers.forEach(reader -> reader.consumer.wakeup());
        long joinDeadline = stopDeadline + TimeUnit.SECONDS.toNanos(5);
        for (Reader reader : readers) {
            try {
                reader.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        readers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One share consumer on its own thread; everything but {@link #finished} belongs to that thread. */
    private final class Reader {

        private final String topic;
        private final KafkaShareConsumer<String, byte[]> consumer;
        private final Thread thread;
        private final AvroDeserializer deserializer = new AvroDeserializer();
        private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        private final Set<ConsumerRecord<String, byte[]>> unfinished =
                Collections.newSetFromMap(new IdentityHashMap<>());
        private long failedDeadline;

        Reader(String topic, Map<String, Object> config) {
            this.topic = topic;
            this.consumer = new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this::run, "deliveries-share-" + config.get(ConsumerConfig.CLIENT_ID_CONFIG));
            this.thread.setDaemon(true);
        }

        private void run() {
            try {
                consumer.setAcknowledgementCommitCallback(this::acknowledged);
                consumer.subscribe(List.of(topic));
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        start(record);
                    }
                    finishBatch();
                }
            } catch (WakeupException stopping) {
                // stop() woke the consumer up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("share delivery consumer failed; unacknowledged deliveries return to the group", e);
                failedDeadline = System.nanoTime() + shutdownTimeout.toNanos();
            } finally {
                close();
            }
        }

        private void start(ConsumerRecord<String, byte[]> record) {
            unfinished.add(record);
            inFlight.of(topic).incrementAndGet();
            DeliveryTask task;
            try {
                task = deserializer.deserialize(record.topic(), record.value(), DeliveryTask.class);
            } catch (SerializationException e) {
                AcknowledgeType type = AcknowledgeType.ACCEPT;
                try {
                    deadLetters.accept(record, e);
                } catch (RuntimeException notPublished) {
                    log.warn("could not dead-letter an unreadable delivery task; releasing it", notPublished);
                    type = AcknowledgeType.RELEASE;
                }
                finished.add(new Finished(record, type));
                return;
            }
            try {
                dispatcher.dispatch(task).whenComplete((done, error) -> {
                    if (error != null) {
                        log.warn(
                                "could not record a delivery's outcome, releasing it to the share group topic={} partition={} offset={}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                error);
                    }
                    finished.add(
                            new Finished(record, error == null ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE));
                });
            } catch (RuntimeException e) {
                log.warn("could not start a delivery, releasing it to the share group", e);
                finished.add(new Finished(record, AcknowledgeType.RELEASE));
            }
        }

        /**
         * Acknowledges the batch's records as their deliveries finish: the next poll may only come once all are. On
         * stop, what has not finished by the shutdown deadline is released to the group.
         */
        private void finishBatch() throws InterruptedException {
            while (!unfinished.isEmpty()) {
                Finished done = finished.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (done != null) {
                    acknowledge(done);
                    List<Finished> more = new ArrayList<>();
                    finished.drainTo(more);
                    more.forEach(this::acknowledge);
                }
                if (!unfinished.isEmpty() && pastDeadline()) {
                    return; // close() releases the rest
                }
            }
        }

        /** Stopping or failed, and the shutdown timeout is over. */
        private boolean pastDeadline() {
            if (failedDeadline != 0) {
                return System.nanoTime() - failedDeadline >= 0;
            }
            return !running && System.nanoTime() - stopDeadline >= 0;
        }

        private void acknowledge(Finished done) {
            if (unfinished.remove(done.record())) {
                consumer.acknowledge(done.record(), done.type());
                inFlight.of(topic).decrementAndGet();
            }
        }

        private void acknowledged(Map<?, ?> offsets, Exception error) {
            if (error != null) {
                log.warn(
                        "acknowledgements not accepted by the broker (lock expired?); those records are delivered again",
                        error);
            }
        }

        /** Waits (until the shutdown deadline) for the batch, releases what did not finish, commits, closes. */
        private void close() {
            try {
                finishBatch();
                List<Finished> left = new ArrayList<>();
                finished.drainTo(left);
                left.forEach(this::acknowledge);
                if (!unfinished.isEmpty()) {
                    log.warn(
                            "shutdown timeout reached with {} deliveries in flight; released, the share group delivers them again",
                            unfinished.size());
                    for (ConsumerRecord<String, byte[]> record : List.copyOf(unfinished)) {
                        acknowledge(new Finished(record, AcknowledgeType.RELEASE));
                    }
                }
                commit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("could not commit the last acknowledgements; those records are delivered again", e);
            } finally {
                inFlight.of(topic).addAndGet(-unfinished.size());
                consumer.close();
            }
        }

        private void commit() {
            try {
                consumer.commitSync();
            } catch (WakeupException stopping) {
                consumer.commitSync();
            }
        }
    }

    private record Finished(ConsumerRecord<String, byte[]> record, AcknowledgeType type) {}
}
