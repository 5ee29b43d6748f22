package io.campanello.retry.replay;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.retry.deadletter.DeadLetterQuery;
import io.campanello.retry.deadletter.DeadLetterSummary;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.KafkaHeaders;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayMark;
import io.campanello.schemas.v1.ReplayState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one replay: scans webhooks.dlq from where the job stands to where the topic ended when it started, and sends
 * every matching dead letter back to the dispatcher with its {@code webhook-id} and a fresh retry schedule. Each
 * batch of tasks, their replay marks and the job's new position are written in one Kafka transaction, so a crash
 * resumes exactly after the last batch: nothing is lost and nothing is sent twice.
 *
 * <p>The job's transactional id is its guard in Kafka: a runner starts by fencing every earlier holder of the job
 * (an instance that died, or one that lost the job's partition and has not noticed yet), then reads where the job
 * stands as last committed. A runner that is fenced in turn (taken over, or cancelled from another instance) stops
 * without writing anything more.
 */
final class ReplayRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplayRunner.class);
    private static final int BATCH = 100;

    private final ReplayJob start;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final Predicate<String> alreadyReplayed;
    private final ReplayListener listener;
    private final Clock clock;
    private final UnreadableRecords unreadable;
    private final AvroDeserializer deserializer = new AvroDeserializer();
    private volatile boolean cancelled;
    private volatile boolean stopping;
    private volatile boolean begun;

    /** Told of the job's progress, and of the dead letters it sent, as they are committed. */
    interface ReplayListener {
        void progressed(ReplayJob job);

        void replayed(ReplayMark mark);

        /** The runner stopped without finishing the job: fenced by another holder, or it found the job over. */
        void released(String jobId);
    }

    ReplayRunner(
            ReplayJob start,
            Map<String, Object> consumerConfig,
            Map<String, Object> producerConfig,
            CampanelloKafkaProperties.TopicNames topics,
            Predicate<String> alreadyReplayed,
            ReplayListener listener,
            Clock clock,
            UnreadableRecords unreadable) {
        this.start = start;
        this.consumerConfig = consumerConfig;
        this.producerConfig = producerConfig;
        this.topics = topics;
        this.alreadyReplayed = alreadyReplayed;
        this.listener = listener;
        this.clock = clock;
        this.unreadable = unreadable;
    }

    /** The transactional id of a job's writes: whoever holds it is the only one who can commit for the job. */
    static String transactionalId(String jobId) {
        return "campanello-replay-" + jobId;
    }

    String jobId() {
        return start.getId();
    }

    String tenant() {
        return start.getTenant();
    }

    /** Stops the job for good: it ends CANCELLED. */
    void cancel() {
        cancelled = true;
    }

    /** Stops the job because the service stops: it stays RUNNING and resumes at the next start. */
    void cancelForShutdown() {
        stopping = true;
    }

    /** Whether it has begun running: one that has not will not take the job when it gets a thread after a stop. */
    boolean hasBegun() {
        return begun;
    }

    @Override
    public void run() {
        begun = true;
        if (stopping) { // handed over before it got a thread: it must not fence the job's new owner
            listener.released(start.getId());
            return;
        }
        Properties producerProperties = new Properties();
        producerProperties.putAll(producerConfig);
        producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(start.getId()));
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(consumerConfig);
        consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // About a second of sends per transaction: progress shows as it goes, and a stop waits at most that long.
        consumerProperties.put(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(BATCH, start.getRatePerSecond())));
        ReplayJob job = start;
        try (var producer = new KafkaProducer<String, SpecificRecord>(
                        producerProperties, new StringSerializer(), new AvroSerializer());
                var consumer = new KafkaConsumer<>(
                        consumerProperties, new StringDeserializer(), new ByteArrayDeserializer())) {
            producer.initTransactions(); // fences every earlier holder of this job
            var latest = ReplayLog.latest(consumerConfig, topics.replays(), start.getId())
                    .filter(committed -> committed.getState() == ReplayState.RUNNING);
            if (latest.isEmpty()) {
                log.info("replay is over, nothing to resume replay_id={}", start.getId());
                listener.released(start.getId());
                return;
            }
            job = latest.get();
            listener.progressed(job);
            log.info("replay runs here replay_id={} sent={}", job.getId(), job.getSent());
            job = scan(job, producer, consumer);
            if (stopping && !cancelled) {
                listener.released(job.getId());
                return;
            }
            ReplayState end = cancelled ? ReplayState.CANCELLED : ReplayState.COMPLETED;
            job = ReplayJob.newBuilder(job)
                    .setState(end)
                    .setFinishedAt(clock.instant())
                    .build();
            commit(producer, List.of(), job);
        } catch (RuntimeException e) {
            if (isFenced(e)) {
                log.info("replay taken by another holder, stops here replay_id={}", start.getId());
                listener.released(start.getId());
                return;
            }
            log.error("replay failed replay_id={}", start.getId(), e);
            job = ReplayJob.newBuilder(job)
                    .setState(ReplayState.FAILED)
                    .setError(e.getClass().getSimpleName())
                    .setFinishedAt(clock.instant())
                    .build();
            listener.progressed(job);
        }
    }

    /** Whether the job's transactional id was taken by a newer holder (a new owner, or a cancel). */
    static boolean isFenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }

    private ReplayJob scan(
            ReplayJob job, KafkaProducer<String, SpecificRecord> producer, KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> end = new HashMap<>();
        job.getEndOffsets()
                .forEach((partition, offset) ->
                        end.put(new TopicPartition(topics.dlq(), Integer.parseInt(partition)), offset));
        Map<String, Long> positions = new HashMap<>(job.getPositions());
        List<TopicPartition> unfinished = end.keySet().stream()
                .filter(p -> positions.getOrDefault(Integer.toString(p.partition()), 0L) < end.get(p))
                .toList();
        consumer.assign(unfinished);
        unfinished.forEach(p -> consumer.seek(p, positions.getOrDefault(Integer.toString(p.partition()), 0L)));
        DeadLetterQuery query = new DeadLetterQuery(
                job.getTenant(),
                job.getSubscriptionId(),
                job.getEventType(),
                job.getReason() == null ? null : DeadLetterSummary.reasonCode(job.getReason()),
                job.getSince(),
                job.getUntil());
        Pacer pacer = new Pacer(job.getRatePerSecond());
        Set<String> probed = new java.util.HashSet<>();
        Set<TopicPartition> remaining = new java.util.HashSet<>(unfinished);
        while (!remaining.isEmpty() && !cancelled && !stopping) {
            List<ProducerRecord<String, SpecificRecord>> batch = new java.util.ArrayList<>();
            long scanned = 0;
            long matched = 0;
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                    continue;
                }
                positions.put(Integer.toString(record.partition()), record.offset() + 1);
                scanned++;
                String id = record.partition() + "-" + record.offset();
                DeadLetter deadLetter = read(record);
                if (deadLetter == null) {
                    continue;
                }
                if (!query.matches(DeadLetterSummary.of(id, deadLetter))
                        || (!job.getIncludeReplayed() && alreadyReplayed.test(id))) {
                    continue;
                }
                matched++;
                if (!job.getDryRun()) {
                    pacer.await();
                    batch.add(redelivery(deadLetter.getTask(), probed));
                    batch.add(new ProducerRecord<>(
                            topics.replayed(),
                            id,
                            ReplayMark.newBuilder()
                                    .setDeadLetterId(id)
                                    .setJobId(job.getId())
                                    .setReplayedAt(clock.instant())
                                    .build()));
                }
            }
            for (TopicPartition partition : List.copyOf(remaining)) {
                long position = Math.max(
                        consumer.position(partition),
                        positions.getOrDefault(Integer.toString(partition.partition()), 0L));
                positions.put(Integer.toString(partition.partition()), Math.min(position, end.get(partition)));
                if (position >= end.get(partition)) {
                    remaining.remove(partition);
                }
            }
            job = ReplayJob.newBuilder(job)
                    .setPositions(Map.copyOf(positions))
                    .setScanned(job.getScanned() + scanned)
                    .setMatched(job.getMatched() + matched)
                    .setSent(job.getSent() + batch.size() / 2)
                    .build();
            commit(producer, batch, job);
        }
        return job;
    }

    /** The dead letter, or null for a record that is none (a tombstone, unreadable bytes): never replayed. */
    private DeadLetter read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            unreadable.count(record, UnreadableRecords.TOMBSTONE);
            return null;
        }
        try {
            return deserializer.deserialize(topics.dlq(), record.value(), DeadLetter.class);
        } catch (SerializationException e) {
            unreadable.count(record, UnreadableRecords.UNREADABLE);
            return null;
        }
    }

    /**
     * The dead letter's task back to the dispatcher; the first of each subscription in this run is marked as a probe
     * ({@link KafkaHeaders#PROBE}): the operator replays because the endpoint works again, so an open circuit lets it
     * through at once, and its success lets the rest flow.
     */
    private ProducerRecord<String, SpecificRecord> redelivery(DeliveryTask task, Set<String> probed) {
        var record = new ProducerRecord<String, SpecificRecord>(
                topics.redeliveries(), task.getSubscriptionId(), fresh(task));
        if (probed.add(task.getSubscriptionId())) {
            record.headers().add(KafkaHeaders.PROBE, "true".getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** The dead letter's task as a new delivery: same delivery id (webhook-id), a fresh retry schedule. */
    private static DeliveryTask fresh(DeliveryTask task) {
        return DeliveryTask.newBuilder(task)
                .setAttempts(0)
                .setNotBefore(null)
                .setFirstAttemptAt(null)
                .setLastAttemptAt(null)
                .setLastStatus(null)
                .setLastError(null)
                .build();
    }

    private void commit(
            KafkaProducer<String, SpecificRecord> producer,
            List<ProducerRecord<String, SpecificRecord>> batch,
            ReplayJob job) {
        producer.beginTransaction();
        batch.forEach(producer::send);
        producer.send(new ProducerRecord<>(topics.replays(), job.getId(), job));
        producer.commitTransaction();
        for (ProducerRecord<String, SpecificRecord> record : batch) {
            if (record.value() instanceof ReplayMark mark) {
                listener.replayed(mark);
            }
        }
        listener.progressed(job);
    }

    /** Spaces sends to the job's rate without a timer per send. */
    private static final class Pacer {

        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(int ratePerSecond) {
            this.intervalNanos = 1_000_000_000L / Math.max(1, ratePerSecond);
        }

        void await() {
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
            next = Math.max(next, now) + intervalNanos;
        }
    }
}
