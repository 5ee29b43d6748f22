package io.campanello.retry.replay;

import io.campanello.api.ApiException;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.kafka.UnreadableRecords;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayMark;
import io.campanello.schemas.v1.ReplayState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Starts, follows and cancels replay jobs. A job and its progress live on the compacted topic webhooks.replays, so
 * after a restart of the retry service every job that was running resumes where its last committed batch ended.
 * (One retry-service instance runs the jobs; several instances would each resume them — run one.)
 */
@Component
class ReplayJobs implements SmartLifecycle {

    private static final int MAX_RATE = 10_000;
    private static final int DEFAULT_RATE = 100;

    private final TopicTable<ReplayJob> jobs;
    private final TopicTable<ReplayMark> marks;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final KafkaProperties kafkaProperties;
    private final CampanelloKafkaProperties.TopicNames topics;
    private final Clock clock;
    private final UnreadableRecords unreadable;
    private final ReplayProperties limits;
    private final Map<String, ReplayRunner> running = new ConcurrentHashMap<>();
    // At most maxRunning threads; jobs resumed after a restart beyond that wait their turn in the queue.
    private final ExecutorService executor;
    private volatile boolean started;

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
        this.limits = limits;
        this.executor = Executors.newFixedThreadPool(limits.maxRunning(), runnable -> {
            Thread thread = new Thread(runnable, "replay");
            thread.setDaemon(true);
            return thread;
        });
    }

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
        ReplayRunner runner = runner(job);
        admit(runner);
        try {
            return kafka.send(topics.replays(), job.getId(), job)
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            running.remove(job.getId());
                        }
                    })
                    .thenApply(sent -> {
                        jobs.applyOwnWrite(job.getId(), job);
                        executor.execute(runner);
                        return job;
                    });
        } catch (RuntimeException e) {
            running.remove(job.getId());
            throw e;
        }
    }

    /** Takes a place for a new job, or refuses it when its tenant or the service has no room left. */
    private synchronized void admit(ReplayRunner runner) {
        if (running.size() >= limits.maxRunning()) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_replays",
                    limits.maxRunning() + " replays are running, the most this service runs at once; retry later");
        }
        long ofTenant = running.values().stream()
                .filter(other -> Objects.equals(other.tenant(), runner.tenant()))
                .count();
        if (ofTenant >= limits.maxRunningPerTenant()) {
            throw ApiException.quotaExceeded(
                    "running_replays_per_tenant",
                    limits.maxRunningPerTenant(),
                    "the tenant has " + ofTenant + " replays running, the most allowed is "
                            + limits.maxRunningPerTenant() + "; wait for one to finish or cancel one");
        }
        running.put(runner.jobId(), runner);
    }

    ReplayJob get(String tenant, String id) {
        return jobs.get(id)
                .filter(job -> tenant == null || tenant.equals(job.getTenant()))
                .orElseThrow(() -> ApiException.notFound("replay_not_found", "no replay " + id));
    }

    ReplayJob cancel(String tenant, String id) {
        ReplayJob job = get(tenant, id);
        ReplayRunner runner = running.get(id);
        if (runner != null) {
            runner.cancel();
        }
        return job;
    }

    private void resume(ReplayJob job) {
        ReplayRunner runner = runner(job);
        running.put(job.getId(), runner);
        executor.execute(runner);
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
                            running.remove(progressed.getId());
                        }
                    }

                    @Override
                    public void replayed(ReplayMark mark) {
                        marks.applyOwnWrite(mark.getDeadLetterId(), mark);
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

    /** Resumes the jobs that were running when the service stopped (the tables are loaded by then). */
    @Override
    public void start() {
        jobs.values().stream()
                .filter(job -> job.getState() == ReplayState.RUNNING)
                .filter(job -> !running.containsKey(job.getId()))
                .forEach(this::resume);
        started = true;
    }

    @Override
    public void stop() {
        running.values().forEach(ReplayRunner::cancelForShutdown);
        executor.shutdown();
        try {
            executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started = false;
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
