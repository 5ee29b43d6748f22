package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's cluster: three brokers, replication factor 3, and one broker at a time stopped, killed, restarted. */
class KafkaClusterIT {

    private static final String TOPIC = "cluster.check";

    @TempDir
    Path dir;

    @Test
    void writesWithAcksAllGoOnWhileOneBrokerIsStoppedOrKilledAndNothingIsLost() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(dir, 3);
                Admin admin = kafka.admin();
                var producer = new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) -1)))
                    .all()
                    .get();
            assertThat(partitions(admin))
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            assertThat(admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("min.insync.replicas")
                            .value())
                    .isEqualTo("2");

            List<String> written = new ArrayList<>();
            write(producer, "all-up", written);
            kafka.stopBroker(1);
            write(producer, "broker-1-stopped", written);
            kafka.startBroker(1);
            awaitFullyReplicated(admin);
            kafka.killBroker(2);
            write(producer, "broker-2-killed", written);
            kafka.startBroker(2);
            awaitFullyReplicated(admin);
            write(producer, "all-back", written);

            assertThat(readAll(kafka, written.size())).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    private static void write(KafkaProducer<String, String> producer, String phase, List<String> written)
            throws Exception {
        for (int i = 0; i < 30; i++) {
            String value = phase + "-" + i;
            producer.send(new ProducerRecord<>(TOPIC, value, value)).get(60, TimeUnit.SECONDS);
            written.add(value);
        }
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription description =
                admin.describeTopics(Set.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions();
    }

    private static void awaitFullyReplicated(Admin admin) {
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> partitions(admin).stream().allMatch(p -> p.isr().size() == 3));
    }

    private static List<String> readAll(KafkaCluster kafka, int count) {
        List<String> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "cluster-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value());
                }
                return read.size() >= count;
            });
        }
        return read;
    }
}
