package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.Ids;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeadLetterReason;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A replay has one owner among the retry-service instances: another instance takes it over when the owner is killed,
 * and a cancel reaches it from any instance. On three brokers (replication factor 3), with two retry-service JVMs, a
 * subscription service, a dispatcher and a real receiver.
 */
class ReplayOwnershipIT {

    private static final int DEAD_LETTERS = 600;
    private static final int RATE = 40;
    private static final String PATH = "/replayed";
    private static final String CANCELLED_PATH = "/cancelled";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static KafkaCluster kafka;
    private static ServiceProcesses services;
    private static Receiver receiver;
    private static String subscription;
    private static String cancelledSubscription;
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void startCluster() throws Exception {
        kafka = KafkaCluster.start(dir, 3);
        services = new ServiceProcesses(kafka);
        receiver = Receiver.start();
        ServiceProcess subscriptions = services.start(Service.SUBSCRIPTIONS, "subscriptions");
        subscription = subscribe(subscriptions, receiver.url(PATH));
        cancelledSubscription = subscribe(subscriptions, receiver.url(CANCELLED_PATH));
        // Started once the subscriptions exist, so the dispatcher's table has them from the start.
        ServiceProcess dispatcher = services.launch(Service.DISPATCHER, "dispatcher");
        first = services.launch(Service.RETRY, "retry-1");
        second = services.launch(Service.RETRY, "retry-2");
        dispatcher.awaitReady();
        first.awaitReady();
        second.awaitReady();
    }

    /**
     * Both retry-service instances run (one killed by an earlier test is started again) and own replay partitions: the
     * group has settled, so a replay started now stays with its owner while both run.
     */
    @BeforeEach
    void bothRetryInstancesRun() throws Exception {
        for (ServiceProcess retry : List.of(first, second)) {
            if (!retry.isAlive()) {
                retry.restart();
            }
        }
        try (Admin admin = kafka.admin()) {
            await().atMost(WAIT).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("campanello-replays"))
                        .all()
                        .get()
                        .get("campanello-replays");
                return group.groupState() == GroupState.STABLE
                        && group.members().size() == 2
                        && group.members().stream()
                                .allMatch(member ->
                                        !member.assignment().topicPartitions().isEmpty());
            });
        }
    }

    @AfterAll
    static void stopCluster() {
        if (receiver != null) {
            receiver.close();
        }
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aReplayRunsOnOneInstanceAndIsTakenOverWithoutSendingTwiceWhenItsOwnerIsKilled() throws Exception {
        deadLetters(subscription, DEAD_LETTERS);
        // The counters are per process since its start: an earlier test's replay may have counted on either one.
        double firstBefore = gauge(first, "campanello_replays_sent_total");
        double secondBefore = gauge(second, "campanello_replays_sent_total");

        String replay = startReplay(first, subscription, RATE);
        await().atMost(WAIT)
                .until(() ->
                        gauge(first, "campanello_replays_running") + gauge(second, "campanello_replays_running") == 1);
        ServiceProcess owner = gauge(first, "campanello_replays_running") == 1 ? first : second;
        ServiceProcess other = owner == first ? second : first;
        double ownerBefore = owner == first ? firstBefore : secondBefore;
        double otherBefore = owner == first ? secondBefore : firstBefore;
        await().atMost(WAIT)
                .until(() -> gauge(owner, "campanello_replays_sent_total") - ownerBefore >= DEAD_LETTERS / 4.0);
        assertThat(gauge(other, "campanello_replays_sent_total") - otherBefore)
                .as("while both instances run, only the owner of the replay sends")
                .isZero();
        assertThat(gauge(other, "campanello_replays_running")).isZero();

        owner.kill();
        await().atMost(WAIT)
                .until(() ->
                        "COMPLETED".equals(replay(other, replay).path("state").asString()));
        assertThat(replay(other, replay).path("sent").asLong()).isEqualTo(DEAD_LETTERS);
        assertThat(gauge(other, "campanello_replays_sent_total") - otherBefore)
                .as("the surviving instance took the replay over")
                .isPositive();

        await().atMost(WAIT).until(() -> receiver.distinct(PATH) == DEAD_LETTERS);
        // A marker on the same partition of webhooks.redeliveries, behind every replayed task: once it has arrived,
        // a replayed task sent twice would have arrived too.
        String marker = marker(subscription);
        await().atMost(WAIT).until(() -> receiver.countsByWebhookId(PATH).containsKey(marker));
        Map<String, Integer> counts = receiver.countsByWebhookId(PATH);
        assertThat(counts).hasSize(DEAD_LETTERS + 1);
        assertThat(counts.values())
                .as("every replayed delivery arrived exactly once")
                .containsOnly(1);
    }

    @Test
    void aReplayCancelledOnAnInstanceThatDoesNotRunItStopsOnItsOwner() throws Exception {
        int deadLetters = 200;
        deadLetters(cancelledSubscription, deadLetters);
        String replay = startReplay(first, cancelledSubscription, 20);
        await().atMost(WAIT).until(() -> replay(first, replay).path("sent").asLong() >= 20);
        ServiceProcess owner = gauge(first, "campanello_replays_running") == 1 ? first : second;
        ServiceProcess other = owner == first ? second : first;
        assertThat(gauge(owner, "campanello_replays_running")).isEqualTo(1);

        HttpResponse<String> cancelled = HTTP.send(
                request(other, "/v1/replays/" + replay).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("state").asString()).isEqualTo("CANCELLED");
        await().atMost(WAIT).until(() -> gauge(owner, "campanello_replays_running") == 0);

        JsonNode ended = replay(owner, replay);
        assertThat(ended.path("state").asString()).isEqualTo("CANCELLED");
        long sent = ended.path("sent").asLong();
        assertThat(sent).as("cancelled mid-way").isLessThan(deadLetters);
        String marker = marker(cancelledSubscription);
        await().atMost(WAIT)
                .until(() -> receiver.countsByWebhookId(CANCELLED_PATH).containsKey(marker)
                        && receiver.distinct(CANCELLED_PATH) >= sent + 1);
        Map<String, Integer> counts = receiver.countsByWebhookId(CANCELLED_PATH);
        assertThat(counts)
                .as("exactly what the job committed before the cancel arrived, nothing after")
                .hasSize((int) sent + 1);
        assertThat(counts.values()).containsOnly(1);
    }

    private static String subscribe(ServiceProcess subscriptions, String url) throws Exception {
        HttpResponse<String> created = HTTP.send(
                request(subscriptions, "/v1/subscriptions")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\": \"" + url + "\", \"eventTypes\": [\"order.*\"], \"activate\": true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asString();
    }

    private static String startReplay(ServiceProcess retry, String subscription, int rate) throws Exception {
        HttpResponse<String> started = HTTP.send(
                request(retry, "/v1/replays")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"filter\": {\"subscription\": \"" + subscription
                                + "\"}, \"ratePerSecond\": " + rate + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return JSON.readTree(started.body()).path("id").asString();
    }

    private static JsonNode replay(ServiceProcess retry, String id) throws Exception {
        return JSON.readTree(
                HTTP.send(request(retry, "/v1/replays/" + id).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private static double gauge(ServiceProcess service, String name) throws Exception {
        return ClusterApi.metric(service, name);
    }

    private static HttpRequest.Builder request(ServiceProcess service, String path) {
        return ClusterApi.request(service, path);
    }

    /** Dead letters of the subscription, as the dispatcher writes them when a delivery is exhausted. */
    private static void deadLetters(String subscription, int count) throws Exception {
        try (var producer = producer()) {
            Future<?> last = null;
            for (int i = 0; i < count; i++) {
                DeadLetter deadLetter = DeadLetter.newBuilder()
                        .setTask(task(subscription, Ids.newEventId()))
                        .setReason(DeadLetterReason.EXHAUSTED)
                        .setDeadAt(Instant.now())
                        .build();
                last = producer.send(new ProducerRecord<>(Topics.DLQ, subscription, deadLetter));
            }
            last.get();
        }
    }

    /** A task written straight to webhooks.redeliveries for the subscription; its webhook-id. */
    private static String marker(String subscription) throws Exception {
        DeliveryTask task = task(subscription, Ids.newEventId());
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.REDELIVERIES, subscription, task))
                    .get();
        }
        return task.getDeliveryId();
    }

    private static DeliveryTask task(String subscription, String eventId) {
        Instant now = Instant.now();
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(eventId, subscription))
                .setSubscriptionId(subscription)
                .setTenant("default")
                .setEvent(EventEnvelope.newBuilder()
                        .setId(eventId)
                        .setTenant("default")
                        .setType("order.created")
                        .setSubject("order-" + eventId)
                        .setTime(now)
                        .setReceivedAt(now)
                        .setData("{\"amount\": 150}")
                        .build())
                .build();
    }

    private static KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new AvroSerializer());
    }
}
