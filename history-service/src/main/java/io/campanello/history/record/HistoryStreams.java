package io.campanello.history.record;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.DeliveryAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the history as a Kafka Streams application: webhooks.deliveries, .redeliveries, .parked and .dlq (key =
 * subscription id) and webhooks.attempts (key = delivery id, in its subscription's partition; re-keyed by subscription
 * when not, {@link AttemptPlacement}) → {@link HistoryProcessor}.
 * Everything of one subscription lands in one partition, so its log is read from one instance; which one is told by
 * Kafka Streams' metadata ({@code application.server}).
 */
@Component
public class HistoryStreams implements SmartLifecycle {

    /** The Streams application id, also the consumer group and the prefix of the changelog topics. */
    static final String APPLICATION_ID = "campanello-history";

    private static final Logger log = LoggerFactory.getLogger(HistoryStreams.class);

    private final Properties config = new Properties();
    private final StreamsBuilder builder = new StreamsBuilder();
    private final HistoryProperties history;
    private final Environment environment;
    private final Map<String, Object> adminConfig;
    private final String attemptsTopic;
    private final String deliveriesTopic;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    /** The partition count of webhooks.attempts and webhooks.deliveries, or 0 while unknown or when they differ. */
    private volatile int coPartitions;

    HistoryStreams(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            HistoryProperties history,
            Environment environment) {
        this.history = history;
        this.environment = environment;
        this.adminConfig = kafka.buildAdminProperties();
        this.attemptsTopic = properties.topics().attempts();
        this.deliveriesTopic = properties.topics().deliveries();
        config.putAll(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.STATE_DIR_CONFIG, history.stateDir().toString());
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                history.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.valueOf(history.standbyReplicas()));
        config.put(
                StreamsConfig.REPLICATION_FACTOR_CONFIG,
                Integer.valueOf(properties.replicationFactor() > 0 ? properties.replicationFactor() : -1));
        config.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // Unreadable records are dead-lettered by the dispatcher, which owns these topics: here they are skipped
        // (and counted in Kafka Streams' dropped-records metric).
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        config.put(
                BoundedRocksDb.BLOCK_CACHE, Long.toString(history.blockCache().toBytes()));
        config.put(
                BoundedRocksDb.WRITE_BUFFERS,
                Long.toString(history.writeBuffers().toBytes()));
        // A delivery's record is written when its task comes and again when its attempt comes a few milliseconds
        // later: the cache in front of that store sends it to RocksDB and the changelog once per commit interval.
        config.put(
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG,
                history.recordCache().toBytes());
        // A delivery's record (its event included) is about a kilobyte: the default 16 KB batches filled up after
        // sixteen of them and made the changelog writes most of the broker's produce requests.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // A task reads five topics side by side and folds records in whatever order they come (Histories keeps the
        // newest status), so it never waits to line up their timestamps; waiting also cost a formatted log line per
        // record for the empty ones (redeliveries, parked, dead letters): a fifth of the history's CPU.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

        var topics = properties.topics();
        Serde<SpecificRecord> avro = Serdes.serdeFrom(new AvroSerializer(), new AvroDeserializer());
        var histories = new Histories(properties.retrySchedule());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(HistoryProcessor.RECORDS), Serdes.String(), avro)
                .withCachingEnabled());
        // Each index key is written once: nothing to gain from the cache.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(HistoryProcessor.INDEX), Serdes.String(), Serdes.String())
                .withCachingDisabled());
        KStream<String, SpecificRecord> attempts = builder.stream(
                        topics.attempts(), Consumed.with(Serdes.String(), avro))
                .filter((key, value) -> value instanceof DeliveryAttempt)
                .process(() -> new AttemptPlacement(() -> coPartitions), Named.as("attempt-placement"));
        KStream<String, SpecificRecord> inPlace =
                attempts.filter((key, value) -> true, Named.as(AttemptPlacement.IN_PLACE));
        KStream<String, SpecificRecord> moved = attempts.filter(
                        (key, value) -> true, Named.as(AttemptPlacement.ELSEWHERE))
                .selectKey((key, value) -> ((DeliveryAttempt) value).getSubscriptionId())
                .repartition(Repartitioned.with(Serdes.String(), avro).withName("attempts-by-subscription"));
        builder.stream(
                        List.of(topics.deliveries(), topics.redeliveries(), topics.parked(), topics.dlq()),
                        Consumed.with(Serdes.String(), avro))
                .filter((key, value) -> value != null)
                .merge(inPlace)
                .merge(moved)
                .process(
                        () -> new HistoryProcessor(histories, topics, history.retention(), history.purgeInterval()),
                        HistoryProcessor.RECORDS,
                        HistoryProcessor.INDEX);
    }

    /** After the web server (whose port is the default address other instances call), before nothing. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void start() {
        coPartitions = coPartitions();
        self = HostInfo.buildFromEndpoint(address());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        streams = new KafkaStreams(builder.build(), config);
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("history thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    /**
     * The partition count of webhooks.attempts if webhooks.deliveries has the same: then an attempt the dispatcher
     * wrote to its subscription's partition is read in place. Otherwise (or when the topics cannot be described) 0,
     * and every attempt is re-keyed through the repartition topic, as before the dispatcher placed them.
     */
    private int coPartitions() {
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(attemptsTopic, deliveriesTopic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            int attempts = topics.get(attemptsTopic).partitions().size();
            int deliveries = topics.get(deliveriesTopic).partitions().size();
            if (attempts != deliveries) {
                log.warn(
                        "{} has {} partitions and {} has {}: every attempt is re-keyed through a repartition topic",
                        attemptsTopic,
                        attempts,
                        deliveriesTopic,
                        deliveries);
                return 0;
            }
            return attempts;
        } catch (ExecutionException | TimeoutException e) {
            log.warn(
                    "cannot describe {} and {}: every attempt is re-keyed through a repartition topic",
                    attemptsTopic,
                    deliveriesTopic,
                    e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private String address() {
        if (!history.advertisedAddress().isBlank()) {
            return history.advertisedAddress();
        }
        return "localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port"));
    }

    @Override
    public void stop() {
        KafkaStreams current = streams;
        if (current != null) {
            current.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }

    /** This instance, as the others know it. */
    public HostInfo self() {
        return self;
    }

    /**
     * The instance that holds a subscription's log, or empty while no instance does (starting, rebalancing).
     */
    public Optional<HostInfo> ownerOf(String subscriptionId) {
        KeyQueryMetadata metadata = running()
                .queryMetadataForKey(
                        HistoryProcessor.RECORDS,
                        subscriptionId,
                        Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    /** Every instance that holds a part of the history. */
    public Set<HostInfo> instances() {
        return running().metadataForAllStreamsClients().stream()
                .map(StreamsMetadata::hostInfo)
                .collect(Collectors.toSet());
    }

    /** The partitions of the history this instance holds now. */
    public LocalHistory local() {
        return new LocalHistory(
                running()
                        .store(StoreQueryParameters.fromNameAndType(
                                HistoryProcessor.RECORDS, QueryableStoreTypes.<String, SpecificRecord>keyValueStore())),
                running()
                        .store(StoreQueryParameters.fromNameAndType(
                                HistoryProcessor.INDEX, QueryableStoreTypes.<String, String>keyValueStore())),
                history.maxScan());
    }

    private KafkaStreams running() {
        KafkaStreams current = streams;
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            throw new InvalidStateStoreException("the history is not running yet (" + state() + ")");
        }
        return current;
    }
}
