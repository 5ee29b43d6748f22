package io.campanello.retry.replay;

import io.campanello.api.ApiException;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayMark;
import io.campanello.schemas.v1.ReplayState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Starts, follows and cancels replay jobs. A job and its progress live on the compacted topic webhooks.replays; any
 * instance accepts a job, and the one instance that owns the job's partition of that topic runs it
 * ({@link ReplayOwners}). When the owner dies or leaves, the partition's new owner resumes the job where its last
 * committed batch ended.
 */
@Component
class ReplayJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);
    private static final int MAX_RATE = 10_000;
    private static final int DEFAULT_RATE = 100;
    /** How long a hand-over waits for a runner to end its batch; past that, fencing still stops it from sending. */
    private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(15);

    private final TopicTable<ReplayJob> jobs;
    private final TopicTable<ReplayMark> marks;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final KafkaProperties kafkaProperties;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final Clock clock;
    private final UnreadableRecords unreadable;
    private final ReplayCancellation cancellation;
    private final Counter sent;
    /** Jobs this instance runs, by id. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Jobs that ended or were let go here, with their partition: a late record of theirs does not start them. */
    private final Map<String, Integer> finished = new ConcurrentHashMap<>();

    private final ReplayAdmission admission;
    // At most maxRunning threads; jobs beyond that wait their turn in the queue.
    private final ExecutorService executor;
    private volatile boolean started;

    /** A job run here: its runner, its partition of webhooks.replays, and when its runner has ended. */
    private record Running(ReplayRunner runner, int partition, CompletableFuture<Void> ended) {}

    ReplayJobs(
            TopicTable<ReplayJob> jobs,
            TopicTable<ReplayMark> marks,
            KafkaTemplate<String, SpecificRecord> kafka,
            KafkaProperties kafkaProperties,
            CampanelloKafkaProperties properties,
            Clock clock,
            MeterRegistry meters,
            ReplayProperties limits) {
        this.jobs = jobs;
        this.marks = marks;
        this.kafka = kafka;
        this.kafkaProperties = kafkaProperties;
        this.topics = properties.topics();
        this.clock = clock;
        this.unreadable = new UnreadableRecords("replay", meters);
        this.admission = new ReplayAdmission(limits);
        this.cancellation = new ReplayCancellation(
                kafkaProperties.buildConsumerProperties(),
                kafkaProperties.buildProducerProperties(),
                topics.replays(),
                clock);
        this.sent = Counter.builder("campanello.replays.sent")
                .description("Dead letters this instance sent again in replays (committed)")
                .register(meters);
        Gauge.builder("campanello.replays.running", running, Map::size)
                .description("Replays this instance runs now (it owns their partition of webhooks.replays)")
                .register(meters);
        this.executor = Executors.newFixedThreadPool(limits.maxRunning(), runnable -> {
            Thread thread = new Thread(runnable, "replay");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes a new job to webhooks.replays; the owner of its partition runs it. */
    CompletableFuture<ReplayJob> start(String tenant, ReplayRequest request) {
        ReplayRequest.Filter filter =
                request.filter() != null ? request.filter() : new ReplayRequest.Filter(null, null, null, null, null);
        int rate = request.ratePerSecond() != null ? request.ratePerSecond() : DEFAULT_RATE;
        if (rate < 1 || rate > MAX_RATE) {
            throw ApiException.badRequest("invalid_replay", "'ratePerSecond' is between 1 and " + MAX_RATE);
        }
        if (filter.since() != null && filter.until() != null && !filter.since().isBefore(filter.until())) {
            throw ApiException.badRequest("invalid_replay", "'since' must be before 'until'");
        }
        ReplayJob job = ReplayJob.newBuilder()
                .setId(Ids.newReplayId())
                .setTenant(tenant)
                .setSubscriptionId(filter.subscription())
                .setEventType(filter.type())
                .setReason(filter.reasonValue())
                .setSince(filter.since())
                .setUntil(filter.until())
                .setIncludeReplayed(Boolean.TRUE.equals(request.includeReplayed()))
                .setDryRun(Boolean.TRUE.equals(request.dryRun()))
                .setRatePerSecond(rate)
                .setState(ReplayState.RUNNING)
                .setEndOffsets(endOffsets())
                .setPositions(Map.of())
                .setCreatedAt(clock.instant())
                .build();
        admission.admit(job, jobs.values());
        try {
            return kafka.send(topics.replays(), job.getId(), job)
                    .thenApply(written -> {
                        jobs.applyOwnWrite(job.getId(), job);
                        return job;
                    })
                    .whenComplete((written, failure) -> admission.written(job.getId()));
        } catch (RuntimeException e) {
            admission.written(job.getId());
            throw e;
        }
    }

    ReplayJob get(String tenant, String id) {
        return jobs.get(id)
                .filter(job -> tenant == null || tenant.equals(job.getTenant()))
                .orElseThrow(() -> ApiException.notFound("replay_not_found", "no replay " + id));
    }

    /** Cancels a job wherever it runs: its owner is fenced and sends nothing more. */
    ReplayJob cancel(String tenant, String id) {
        ReplayJob job = get(tenant, id);
        if (job.getState() != ReplayState.RUNNING) {
            return job;
        }
        Running here = running.get(id);
        if (here != null) {
            here.runner().cancel();
        }
        ReplayJob ended = cancellation.cancel(job);
        jobs.applyOwnWrite(id, ended);
        return ended;
    }

    /** Runs a job of a partition this instance owns, unless it runs here already or has ended here. */
    synchronized void run(ReplayJob job, int partition) {
        if (!started || running.containsKey(job.getId()) || finished.containsKey(job.getId())) {
            return;
        }
        ReplayRunner runner = runner(job);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        running.put(job.getId(), new Running(runner, partition, ended));
        executor.execute(() -> {
            try {
                runner.run();
            } finally {
                ended.complete(null);
            }
        });
    }

    /**
     * Lets go of the jobs of partitions this instance no longer owns: each runner ends its batch (committed or
     * aborted) and stops, and the new owner resumes from there.
     */
    void handOver(Collection<Integer> partitions) {
        List<Running> leaving = running.values().stream()
                .filter(job -> partitions.contains(job.partition()))
                .toList();
        leaving.forEach(job -> job.runner().cancelForShutdown());
        for (Running job : leaving) {
            if (!job.runner().hasBegun()) {
                continue;
            }
            try {
                job.ended().get(HAND_OVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn(
                        "replay did not stop in time; its new owner fences it replay_id={}",
                        job.runner().jobId());
            } catch (ExecutionException e) {
                log.warn("replay ended with an error replay_id={}", job.runner().jobId(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        finished.values().removeIf(partitions::contains);
    }

    /** The job's last record says it is over: no earlier record of it can come after, so it need not be kept. */
    void over(String jobId) {
        if (!running.containsKey(jobId)) {
            finished.remove(jobId);
        }
    }

    private void ended(String jobId) {
        Running job = running.remove(jobId);
        if (job != null) {
            finished.put(jobId, job.partition());
        }
    }

    private ReplayRunner runner(ReplayJob job) {
        return new ReplayRunner(
                job,
                kafkaProperties.buildConsumerProperties(),
                kafkaProperties.buildProducerProperties(),
                topics,
                id -> marks.get(id).isPresent(),
                new ReplayRunner.ReplayListener() {
                    @Override
                    public void progressed(ReplayJob progressed) {
                        jobs.applyOwnWrite(progressed.getId(), progressed);
                        if (progressed.getState() != ReplayState.RUNNING) {
                            ended(progressed.getId());
                        }
                    }

                    @Override
                    public void replayed(ReplayMark mark) {
                        marks.applyOwnWrite(mark.getDeadLetterId(), mark);
                        sent.increment();
                    }

                    @Override
                    public void released(String jobId) {
                        ended(jobId);
                    }
                },
                clock,
                unreadable);
    }

    /** Where webhooks.dlq ends now: a job replays what was dead when it started, never what dies while it runs. */
    private Map<String, Long> endOffsets() {
        Properties config = new Properties();
        config.putAll(kafkaProperties.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topics.dlq(), Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topics.dlq(), info.partition()))
                    .toList();
            return consumer.endOffsets(partitions).entrySet().stream()
                    .collect(Collectors.toMap(
                            entry -> Integer.toString(entry.getKey().partition()), Map.Entry::getValue));
        }
    }

    /** Ready to run jobs; {@link ReplayOwners} (a later phase) then hands it those of the partitions it owns. */
    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
        running.values().forEach(job -> job.runner().cancelForShutdown());
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return 100;
    }
}
