package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** A consumer that fails recovers and reads on; one that keeps failing turns the service's liveness DOWN. */
@EmbeddedKafka(partitions = 1)
class ConsumerLivenessIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext service;
    private String topic;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {}

    /** Reads a topic in a group, commits what it read; fails as the test says. */
    static final class Reader extends ConsumerLoop {

        private final String topic;
        private final List<String> read = new CopyOnWriteArrayList<>();
        private final AtomicBoolean failOnce = new AtomicBoolean(true);
        private final boolean failAlways;

        Reader(String bootstrap, String topic, boolean failAlways) {
            super(
                    "test-reader",
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    "test-" + UUID.randomUUID());
            this.topic = topic;
            this.failAlways = failAlways;
        }

        @Override
        protected void consume(KafkaConsumer<String, byte[]> consumer) {
            consumer.subscribe(List.of(topic));
            while (running()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String value = new String(record.value());
                    if (failAlways || (value.equals("boom") && failOnce.getAndSet(false))) {
                        // What Kafka throws when the broker goes away; nothing after it was committed.
                        throw new DisconnectException("broker went away");
                    }
                    read.add(value);
                    consumer.commitSync(Map.of(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        }
    }

    @BeforeEach
    void createTopic(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.topic = "liveness-" + UUID.randomUUID();
        broker.addTopics(topic);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private ConfigurableApplicationContext start(
            ApplicationContextInitializer<GenericApplicationContext> beans, String... extra) {
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--campanello.kafka.create-topics=false",
                "--management.endpoint.health.probes.enabled=true",
                "--campanello.kafka.consumer-recovery.first-backoff=100ms",
                "--spring.main.banner-mode=off"));
        arguments.addAll(List.of(extra));
        return new SpringApplicationBuilder(Service.class).initializers(beans).run(arguments.toArray(String[]::new));
    }

    private void send(String... values) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
        }
    }

    private int liveness() throws Exception {
        String port = service.getEnvironment().getProperty("local.server.port");
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/liveness"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void aConsumerThatFailsOnceRestartsAndReadsTheNextRecordsWhileLivenessStaysUp() throws Exception {
        Reader reader = new Reader(broker.getBrokersAsString(), topic, false);
        service = start(context -> context.registerBean("reader", Reader.class, () -> reader));

        send("before", "boom", "after");

        await().atMost(Duration.ofSeconds(30)).until(() -> reader.read.contains("after"));
        assertThat(reader.read)
                .as("the record it failed on was not committed, so the fresh consumer reads it again")
                .containsExactly("before", "boom", "after");
        assertThat(liveness()).isEqualTo(200);
    }

    @Test
    void aConsumerThatKeepsFailingTurnsLivenessDown() throws Exception {
        Reader reader = new Reader(broker.getBrokersAsString(), topic, true);
        service = start(
                context -> context.registerBean("reader", Reader.class, () -> reader),
                "--campanello.kafka.consumer-recovery.attempts=2");
        assertThat(liveness()).isEqualTo(200);

        send("boom");

        await().atMost(Duration.ofSeconds(30)).until(() -> liveness() == 503);
        assertThat(reader.isRunning()).isFalse();
    }

    @Test
    void aListenerContainerThatStopsForGoodTurnsLivenessDown() throws Exception {
        service = start(context -> {});
        var properties = new ContainerProperties(topic);
        properties.setGroupId("test-" + UUID.randomUUID());
        properties.setMessageListener((MessageListener<String, String>) record -> {
            throw new IllegalStateException("listener broken");
        });
        var container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<String, String>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        org.apache.kafka.common.serialization.StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        org.apache.kafka.common.serialization.StringDeserializer.class)),
                properties);
        container.setCommonErrorHandler(new CommonContainerStoppingErrorHandler());
        container.setApplicationEventPublisher(service);
        container.start();
        try {
            assertThat(liveness()).isEqualTo(200);

            send("poison");

            await().atMost(Duration.ofSeconds(30)).until(() -> liveness() == 503);
        } finally {
            container.stop();
        }
    }
}
