package io.campanello.retry.schedule;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Holds every retry tier until its tasks are due, with one consumer and no timer or copy per task: a tier's tasks
 * are appended in due order, so when a partition's head is not due the partition is paused and rewound to it, and
 * resumed when it is due. A million waiting retries cost disk, not heap. Due tasks go to webhooks.redeliveries;
 * offsets are committed only after Kafka acknowledged them, so a crash neither loses a task nor sends one early.
 */
@Component
class TierWaiter implements SmartLifecycle {

    /** Consumer group of the retry tiers. */
    static final String GROUP_ID = "campanello-retry";

    private static final Logger log = LoggerFactory.getLogger(TierWaiter.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

    private final Map<String, Object> consumerConfig;
    private final List<String> tiers;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final Clock clock;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    TierWaiter(
            KafkaProperties kafkaProperties,
            CampanelloKafkaProperties properties,
            KafkaTemplate<String, SpecificRecord> kafka,
            DeadLetterPublishingRecoverer deadLetters,
            Clock clock) {
        this.consumerConfig = kafkaProperties.buildConsumerProperties();
        this.tiers = properties.retrySchedule().tierTopics();
        this.topics = properties.topics();
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "retry-tiers");
        thread.start();
        log.info("waiting on retry tiers topics={}", tiers);
    }

    private void run() {
        try {
            consumer.subscribe(tiers, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(pausedUntil::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // A newly assigned partition starts unpaused: its head is looked at again.
                }
            });
            while (running) {
                resumeDuePartitions();
                ConsumerRecords<String, byte[]> records = consumer.poll(pollWait());
                if (!records.isEmpty()) {
                    handOverDue(records);
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("retry tier consumer failed; tasks stay on their tiers", e);
        } finally {
            consumer.close();
        }
    }

    private void handOverDue(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        Instant now = clock.instant();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                DeliveryTask task = read(record);
                if (task != null && !DueTime.isDue(task, now)) {
                    consumer.seek(partition, record.offset());
                    consumer.pause(List.of(partition));
                    pausedUntil.put(partition, task.getNotBefore());
                    break;
                }
                if (task != null) {
                    writes.add(kafka.send(topics.redeliveries(), record.key(), task));
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            // Nothing is committed: the tasks are read and handed over again (at least once).
            throw new IllegalStateException("could not hand due tasks back", e.getCause());
        }
        if (!done.isEmpty()) {
            consumer.commitSync(done);
        }
    }

    /** A record that is not a task goes to the dead-letter topic with the error in its headers; it never blocks a tier. */
    private DeliveryTask read(ConsumerRecord<String, byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.value(), DeliveryTask.class);
        } catch (SerializationException e) {
            log.warn(
                    "unreadable task topic={} partition={} offset={}",
                    record.topic(),
                    record.partition(),
                    record.offset());
            deadLetters.accept(record, e);
            return null;
        }
    }

    private void resumeDuePartitions() {
        Instant now = clock.instant();
        List<TopicPartition> due = pausedUntil.entrySet().stream()
                .filter(entry -> !entry.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .toList();
        if (!due.isEmpty()) {
            consumer.resume(due);
            due.forEach(pausedUntil::remove);
        }
    }

    /** Until the earliest paused head is due, and never longer than a short poll, to notice new partitions. */
    private Duration pollWait() {
        Instant now = clock.instant();
        return pausedUntil.values().stream()
                .map(until -> Duration.between(now, until))
                .filter(wait -> wait.compareTo(MAX_POLL_WAIT) < 0)
                .min(Duration::compareTo)
                .map(wait -> wait.isNegative() ? Duration.ZERO : wait)
                .orElse(MAX_POLL_WAIT);
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread waiter = thread;
        if (waiter != null) {
            try {
                waiter.join(Duration.ofSeconds(10).toMillis());
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
