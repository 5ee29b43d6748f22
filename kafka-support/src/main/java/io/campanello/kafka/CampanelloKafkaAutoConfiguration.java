package io.campanello.kafka;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka wiring every Campanello service shares: an idempotent {@code acks=all} producer of Avro records, a
 * listener container factory that reads them (and one for raw producer records), an error handler that
 * dead-letters unreadable records at once and retries everything else, and the topics.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({CampanelloKafkaProperties.class, SecretsProperties.class})
public class CampanelloKafkaAutoConfiguration {

    /** Listener container factory for producers' source topics: raw bytes, parsed by the listener. */
    public static final String SOURCE_LISTENER_FACTORY = "sourceListenerContainerFactory";

    /** A stopping container waits for its poll to return: keep shutdown quick. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration RETENTION_7_DAYS = Duration.ofDays(7);
    private static final Duration RETENTION_30_DAYS = Duration.ofDays(30);
    private static final Duration MIN_TIER_RETENTION = Duration.ofDays(1);

    /** Seals subscription secrets for the topic; only the services that sign or show secrets ask for it. */
    @Bean
    @Lazy
    SecretCipher secretCipher(SecretsProperties properties) {
        return SecretCipher.of(properties);
    }

    /** The time every service reads; tests replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A bean, so that the context closes its producers when it closes. */
    @Bean
    DefaultKafkaProducerFactory<String, SpecificRecord> kafkaProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new AvroSerializer());
    }

    @Bean
    KafkaTemplate<String, SpecificRecord> kafkaTemplate(
            DefaultKafkaProducerFactory<String, SpecificRecord> kafkaProducerFactory) {
        return new KafkaTemplate<>(kafkaProducerFactory);
    }

    /** Raw keys and values (strings or bytes), for records that go to a dead-letter topic as they came. */
    @Bean
    DefaultKafkaProducerFactory<Object, Object> deadLetterProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Serializer<Object> raw = new DelegatingByTypeSerializer(
                Map.of(byte[].class, new ByteArraySerializer(), String.class, new StringSerializer()));
        return new DefaultKafkaProducerFactory<>(config, raw, raw);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, SpecificRecord> kafkaListenerContainerFactory(
            KafkaProperties kafka, CommonErrorHandler campanelloErrorHandler) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, SpecificRecord>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(
                consumerConfig(kafka),
                new ErrorHandlingDeserializer<>(new StringDeserializer()),
                new ErrorHandlingDeserializer<>(new AvroDeserializer())));
        factory.setCommonErrorHandler(campanelloErrorHandler);
        factory.getContainerProperties().setPollTimeout(POLL_TIMEOUT.toMillis());
        return factory;
    }

    @Bean(SOURCE_LISTENER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> sourceListenerContainerFactory(
            KafkaProperties kafka, CommonErrorHandler campanelloErrorHandler) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(
                consumerConfig(kafka),
                new ErrorHandlingDeserializer<>(new StringDeserializer()),
                new ByteArrayDeserializer()));
        factory.setCommonErrorHandler(campanelloErrorHandler);
        factory.getContainerProperties().setPollTimeout(POLL_TIMEOUT.toMillis());
        return factory;
    }

    private static Map<String, Object> consumerConfig(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Replays write their tasks in transactions: never deliver one that was aborted.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /**
     * Publishes an unreadable record, with its original key and bytes, to a dead-letter topic with the error in
     * its headers; waits for Kafka's acknowledgement.
     */
    @Bean
    DeadLetterPublishingRecoverer campanelloDeadLetters(
            DefaultKafkaProducerFactory<Object, Object> deadLetterProducerFactory,
            CampanelloKafkaProperties properties) {
        var topics = properties.topics();
        var recoverer = new DeadLetterPublishingRecoverer(
                new KafkaTemplate<>(deadLetterProducerFactory),
                (record, exception) -> new TopicPartition(DeadLetterWriter.topicFor(topics, record.topic()), -1));
        recoverer.setHeadersFunction(DeadLetterWriter::headers);
        return recoverer;
    }

    /** Dead letters sent without waiting, for consumers that read in batches. */
    @Bean
    DeadLetterWriter deadLetterWriter(
            DefaultKafkaProducerFactory<Object, Object> deadLetterProducerFactory,
            CampanelloKafkaProperties properties) {
        return new DeadLetterWriter(new KafkaTemplate<>(deadLetterProducerFactory), properties.topics());
    }

    /**
     * Unreadable records (deserialization failures, {@link UnreadableRecordException}) go to a dead-letter topic at
     * once. Anything else is Campanello or Kafka failing, not the input: it is retried with a growing back-off,
     * never dropped.
     */
    @Bean
    CommonErrorHandler campanelloErrorHandler(DeadLetterPublishingRecoverer campanelloDeadLetters) {
        var backOff = new ExponentialBackOff(1_000, 2);
        backOff.setMaxInterval(30_000);
        var handler = new DefaultErrorHandler(campanelloDeadLetters, backOff);
        handler.addNotRetryableExceptions(UnreadableRecordException.class);
        return handler;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "campanello.kafka.create-topics", matchIfMissing = true)
    KafkaAdmin.NewTopics campanelloTopics(CampanelloKafkaProperties properties) {
        var names = properties.topics();
        List<NewTopic> topics = new ArrayList<>();
        topics.add(topic(properties, names.events(), RETENTION_7_DAYS));
        topics.add(topic(properties, names.deliveries(), RETENTION_7_DAYS));
        topics.add(topic(properties, names.redeliveries(), RETENTION_7_DAYS));
        topics.add(topic(properties, names.attempts(), RETENTION_7_DAYS));
        topics.add(topic(properties, names.dlq(), RETENTION_30_DAYS));
        topics.add(topic(properties, names.ingestDlq(), RETENTION_30_DAYS));
        topics.add(topic(properties, names.parked(), RETENTION_30_DAYS));
        topics.add(builder(properties, names.subscriptions()).compact().build());
        topics.add(builder(properties, names.eventTypes()).compact().build());
        topics.add(builder(properties, names.replays()).compact().build());
        topics.add(builder(properties, names.replayed()).compact().build());
        topics.add(builder(properties, names.endpointHealth()).compact().build());
        topics.add(builder(properties, names.endpointStatus()).compact().build());
        for (var delay : properties.retryDelays()) {
            // A tier must keep a task for longer than its delay, with room for a retry service that was down.
            Duration retention = Collections.max(List.of(delay.multipliedBy(4), MIN_TIER_RETENTION));
            topics.add(topic(properties, Topics.retryTier(names.retryPrefix(), delay), retention));
        }
        return new KafkaAdmin.NewTopics(topics.stream().distinct().toArray(NewTopic[]::new));
    }

    private static NewTopic topic(CampanelloKafkaProperties properties, String name, Duration retention) {
        return builder(properties, name)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))
                .build();
    }

    private static TopicBuilder builder(CampanelloKafkaProperties properties, String name) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(properties.partitions());
        return properties.replicationFactor() > 0 ? builder.replicas(properties.replicationFactor()) : builder;
    }
}
