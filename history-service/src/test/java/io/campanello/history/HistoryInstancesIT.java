package io.campanello.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.history.record.HistoryStreams;
import io.campanello.kafka.SubscriptionPartition;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history on a real broker: two instances each answer for the whole history (asking each other for what they do
 * not hold), and an instance that lost its disk rebuilds its stores from the changelog topics.
 */
@EmbeddedKafka(partitions = HistoryInstancesIT.PARTITIONS)
class HistoryInstancesIT {

    static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String KEY = "cmp_history_test";
    private static final String OTHER_KEY = "cmp_history_other";

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @TempDir
    Path stateDirs;

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void eachOfTwoInstancesAnswersForTheWholeHistory(EmbeddedKafkaBroker broker) throws Exception {
        ConfigurableApplicationContext first = start(broker, "first");
        ConfigurableApplicationContext second = start(broker, "second");
        await().atMost(WAIT).until(() -> bothRunningWithPartitions(first, second));

        // Subscriptions until each instance holds some of them.
        HistoryStreams streams = first.getBean(HistoryStreams.class);
        Map<HostInfo, List<String>> byOwner = new HashMap<>();
        while (byOwner.size() < 2 || byOwner.values().stream().anyMatch(list -> list.size() < 2)) {
            String subscription = Ids.newSubscriptionId();
            byOwner.computeIfAbsent(streams.ownerOf(subscription).orElseThrow(), owner -> new ArrayList<>())
                    .add(subscription);
        }
        Map<String, String> deliveryToEvent = new HashMap<>();
        try (KafkaProducer<String, SpecificRecord> producer = producer(broker)) {
            for (List<String> subscriptions : byOwner.values()) {
                for (String subscription : subscriptions) {
                    for (int i = 0; i < 3; i++) {
                        DeliveryTask task = task(subscription);
                        deliveryToEvent.put(
                                task.getDeliveryId(), task.getEvent().getId());
                        producer.send(new ProducerRecord<>(Topics.DELIVERIES, subscription, task));
                        producer.send(new ProducerRecord<>(
                                Topics.ATTEMPTS, task.getDeliveryId(), attempt(task, 1, AttemptOutcome.DELIVERED)));
                    }
                }
            }
        }

        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            int port = port(instance);
            for (List<String> subscriptions : byOwner.values()) {
                for (String subscription : subscriptions) {
                    await().atMost(WAIT).until(() -> deliveredCount(port, subscription) == 3);
                }
            }
            for (var delivery : deliveryToEvent.entrySet()) {
                JsonNode detail = get(port, "/v1/deliveries/" + delivery.getKey(), KEY);
                assertThat(detail.get("delivery").get("status").stringValue()).isEqualTo("delivered");
                assertThat(detail.get("attempts")).hasSize(1);
                assertThat(get(port, "/v1/events/" + delivery.getValue() + "/deliveries", KEY)
                                .get("items"))
                        .hasSize(1);
                assertThat(status(port, "/v1/deliveries/" + delivery.getKey(), OTHER_KEY))
                        .as("another tenant, through whichever instance")
                        .isEqualTo(404);
            }
        }
    }

    @Test
    void anInstanceThatLostItsDiskRebuildsTheHistoryFromKafka(EmbeddedKafkaBroker broker) throws Exception {
        ConfigurableApplicationContext only = start(broker, "only");
        await().atMost(WAIT).until(() -> only.getBean(HistoryStreams.class).state() == KafkaStreams.State.RUNNING);
        String subscription = Ids.newSubscriptionId();
        DeliveryTask task = task(subscription);
        try (KafkaProducer<String, SpecificRecord> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(Topics.DELIVERIES, subscription, task));
            producer.send(new ProducerRecord<>(
                    Topics.ATTEMPTS, task.getDeliveryId(), attempt(task, 1, AttemptOutcome.RETRYABLE)));
            producer.send(new ProducerRecord<>(
                    Topics.ATTEMPTS, task.getDeliveryId(), attempt(task, 2, AttemptOutcome.DELIVERED)));
        }
        int port = port(only);
        await().atMost(WAIT).until(() -> deliveredCount(port, subscription) == 1);

        only.close();
        running.remove(only);
        FileSystemUtils.deleteRecursively(stateDirs.resolve("only"));
        ConfigurableApplicationContext again = start(broker, "only");
        int portAgain = port(again);
        await().atMost(WAIT).until(() -> status(portAgain, "/v1/deliveries/" + task.getDeliveryId(), KEY) == 200);

        JsonNode detail = get(portAgain, "/v1/deliveries/" + task.getDeliveryId(), KEY);
        assertThat(detail.get("delivery").get("status").stringValue()).isEqualTo("delivered");
        assertThat(detail.get("attempts"))
                .extracting(a -> a.get("outcome").stringValue())
                .containsExactly("retryable", "delivered");
        assertThat(detail.get("payload").get("id").stringValue())
                .isEqualTo(task.getEvent().getId());
    }

    @Test
    void attemptsInTheirSubscriptionsPartitionAreReadInPlaceAndOthersAreReKeyed(EmbeddedKafkaBroker broker)
            throws Exception {
        ConfigurableApplicationContext only = start(broker, "placed");
        await().atMost(WAIT).until(() -> only.getBean(HistoryStreams.class).state() == KafkaStreams.State.RUNNING);
        long rewrittenBefore = rewritten(broker);
        List<DeliveryTask> tasks = new ArrayList<>();
        try (KafkaProducer<String, SpecificRecord> producer = producer(broker)) {
            for (int i = 0; i < 4; i++) {
                String subscription = Ids.newSubscriptionId();
                int home = SubscriptionPartition.of(subscription, PARTITIONS);
                DeliveryTask task = task(subscription);
                tasks.add(task);
                producer.send(new ProducerRecord<>(Topics.DELIVERIES, subscription, task));
                // The first attempt where the dispatcher writes it; the second in another partition, as a dispatcher
                // of an earlier version (keyed by delivery id, placed by that key) could have written it.
                producer.send(new ProducerRecord<>(
                        Topics.ATTEMPTS, home, task.getDeliveryId(), attempt(task, 1, AttemptOutcome.RETRYABLE)));
                producer.send(new ProducerRecord<>(
                        Topics.ATTEMPTS,
                        (home + 1) % PARTITIONS,
                        task.getDeliveryId(),
                        attempt(task, 2, AttemptOutcome.DELIVERED)));
            }
        }

        int port = port(only);
        for (DeliveryTask task : tasks) {
            await("both attempts of " + task.getDeliveryId())
                    .atMost(WAIT)
                    .until(() -> deliveredCount(port, task.getSubscriptionId()) == 1);
            JsonNode detail = get(port, "/v1/deliveries/" + task.getDeliveryId(), KEY);
            assertThat(detail.get("attempts"))
                    .extracting(a -> a.get("outcome").stringValue())
                    .containsExactly("retryable", "delivered");
        }
        assertThat(rewritten(broker) - rewrittenBefore)
                .as("attempts written again through the history's repartition topic: only those out of place")
                .isEqualTo(tasks.size());
    }

    /** Records the history wrote to its repartition topic so far (this class's tests share the broker). */
    private static long rewritten(EmbeddedKafkaBroker broker) throws Exception {
        String topic = "campanello-history-attempts-by-subscription-repartition";
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        }
    }

    private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String name) {
        ConfigurableApplicationContext context = HistoryApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.kafka.partitions=" + PARTITIONS,
                        "--campanello.api.key=" + KEY,
                        "--campanello.api.keys=other=" + OTHER_KEY,
                        "--campanello.history.state-dir=" + stateDirs.resolve(name),
                        "--campanello.history.standby-replicas=0",
                        "--spring.main.banner-mode=off");
        running.add(context);
        return context;
    }

    private static boolean bothRunningWithPartitions(
            ConfigurableApplicationContext first, ConfigurableApplicationContext second) {
        HistoryStreams a = first.getBean(HistoryStreams.class);
        HistoryStreams b = second.getBean(HistoryStreams.class);
        return a.state() == KafkaStreams.State.RUNNING
                && b.state() == KafkaStreams.State.RUNNING
                && a.instances().size() == 2
                && b.instances().size() == 2;
    }

    private int deliveredCount(int port, String subscription) throws Exception {
        HttpResponse<String> response =
                send(port, "/v1/subscriptions/" + subscription + "/deliveries?status=delivered", KEY);
        return response.statusCode() == 200
                ? json.readTree(response.body()).get("items").size()
                : -1;
    }

    private JsonNode get(int port, String path, String key) throws Exception {
        HttpResponse<String> response = send(port, path, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private int status(int port, String path, String key) throws Exception {
        return send(port, path, key).statusCode();
    }

    private HttpResponse<String> send(int port, String path, String key) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static KafkaProducer<String, SpecificRecord> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new AvroSerializer());
    }

    private static DeliveryTask task(String subscription) {
        EventEnvelope event = EventEnvelope.newBuilder()
                .setId(Ids.newEventId())
                .setTenant("default")
                .setType("order.created")
                .setTime(Instant.now())
                .setReceivedAt(Instant.now())
                .setData("{\"amount\": 150}")
                .build();
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscription))
                .setSubscriptionId(subscription)
                .setTenant("default")
                .setEvent(event)
                .build();
    }

    private static DeliveryAttempt attempt(DeliveryTask task, int number, AttemptOutcome outcome) {
        return DeliveryAttempt.newBuilder()
                .setDeliveryId(task.getDeliveryId())
                .setSubscriptionId(task.getSubscriptionId())
                .setTenant(task.getTenant())
                .setEventId(task.getEvent().getId())
                .setEventType(task.getEvent().getType())
                .setAttempt(number)
                .setUrl("https://example.com/hook")
                .setStartedAt(Instant.now().plusMillis(number))
                .setDurationMillis(12)
                .setOutcome(outcome)
                .setStatus(outcome == AttemptOutcome.DELIVERED ? 200 : 503)
                .build();
    }
}
