package io.campanello.subscription.matching;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.subscription.filter.EvaluationBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs the matcher as a Kafka Streams application: webhooks.events → {@link DuplicateEvents} (drops copies of an
 * event seen within the dedupe window) → {@link MatchProcessor} (with its per-subject memory) → webhooks.deliveries. An unreadable event goes to the dead-letter topic and the matcher goes on.
 */
@Component
class MatcherStreams implements SmartLifecycle {

    /** The Streams application id, also the consumer group of the matcher. */
    static final String APPLICATION_ID = "campanello-matcher";

    private static final Logger log = LoggerFactory.getLogger(MatcherStreams.class);

    private final Properties config = new Properties();
    private final StreamsBuilder builder = new StreamsBuilder();
    private volatile KafkaStreams streams;

    MatcherStreams(
            KafkaProperties kafka,
            CampanelloKafkaProperties properties,
            MatcherProperties matcher,
            SubscriptionIndex index,
            ObjectMapper json,
            MeterRegistry meters) {
        Map<String, Object> common = kafka.buildStreamsProperties();
        config.putAll(common);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.STATE_DIR_CONFIG, matcher.stateDir().toString());
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                matcher.commitInterval().toMillis());
        config.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                matcher.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.valueOf(matcher.standbyReplicas()));
        config.put(
                StreamsConfig.REPLICATION_FACTOR_CONFIG,
                Integer.valueOf(properties.replicationFactor() > 0 ? properties.replicationFactor() : -1));
        config.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 2);
        // Each task reads one partition of webhooks.events: there are no inputs to line up by timestamp.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                properties.topics().dlq());

        Serde<SpecificRecord> avro = Serdes.serdeFrom(new AvroSerializer(), new AvroDeserializer());
        var filterErrors = meters.counter("campanello.matcher.filter.errors");
        var budget = new EvaluationBudget(matcher.filterMaxCost(), matcher.filterMaxTime(), System::nanoTime);
        Map<EvaluationBudget.Reason, Counter> cuts = new EnumMap<>(EvaluationBudget.Reason.class);
        for (EvaluationBudget.Reason reason : EvaluationBudget.Reason.values()) {
            cuts.put(
                    reason,
                    meters.counter(
                            "campanello.matcher.filter.cut",
                            "reason",
                            reason.name().toLowerCase(Locale.ROOT)));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MatchProcessor.STORE), Serdes.String(), Serdes.String()));
        // Window and segment both the dedupe window: an id is kept at least that long and dropped a segment at a time.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                        DuplicateEvents.STORE, matcher.dedupeWindow(), matcher.dedupeWindow(), false),
                Serdes.String(),
                Serdes.Long()));
        var deduplicated = meters.counter("campanello.events.deduplicated");
        builder.stream(properties.topics().events(), Consumed.with(Serdes.String(), avro))
                .processValues(() -> new DuplicateEvents(matcher.dedupeWindow(), deduplicated), DuplicateEvents.STORE)
                .process(() -> new MatchProcessor(index, json, filterErrors, budget, cuts::get), MatchProcessor.STORE)
                .to(properties.topics().deliveries(), Produced.with(Serdes.String(), avro));
    }

    @Override
    public void start() {
        streams = new KafkaStreams(builder.build(), config);
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("matcher thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    @Override
    public void stop() {
        KafkaStreams current = streams;
        if (current != null) {
            // Leave the group, so that a restarted matcher does not wait a session timeout for this member.
            current.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** After the subscription table (phase 0), so that the first events are matched against every subscription. */
    @Override
    public int getPhase() {
        return 100;
    }

    KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }
}
