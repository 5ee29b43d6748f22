package io.campanello.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The shared part of every run: the receiver's JVM and the Campanello standalone JVM, which also hosts the KRaft
 * broker every Kafka path uses; the benchmark's topics and Campanello's subscriptions.
 */
final class Stack {

    static final String BOOTSTRAP = "127.0.0.1:9092";
    static final String NAIVE_TOPIC = "bench.peers.naive";
    static final String CONNECT_TOPIC = "bench.peers.connect";
    static final String SOURCE_TOPIC = "bench.peers.source";
    static final String EVENTS_TOPIC = "webhooks.events";
    static final String DELIVERIES_TOPIC = "webhooks.deliveries";
    static final String API_KEY = "cmp_bench_peers_key";

    private final Settings settings;
    private final Processes processes;
    private Admin admin;
    long receiverPid;
    int receiverPort;
    long standalonePid;

    Stack(Settings settings, Processes processes) {
        this.settings = settings;
        this.processes = processes;
    }

    void startReceiver() {
        Process receiver = processes.start(
                "receiver",
                List.of(settings.java(), "-Xmx1g", "-cp", settings.appClassPath(), PeersReceiver.class.getName()),
                Map.of());
        String line = processes.awaitLine("receiver", receiver, "port ", Duration.ofSeconds(30));
        receiverPort = Integer.parseInt(line.substring("port ".length()).trim());
        receiverPid = receiver.pid();
    }

    /**
     * Starts the standalone (broker and the four services) with the source topic configured, and creates the
     * benchmark's topics with {@code bench.partitions} partitions as soon as the broker answers, before ingest's
     * source consumer would create the source topic with the broker's default.
     */
    void startStandalone() throws Exception {
        Process standalone = processes.start(
                "standalone",
                Stream.of(
                                Stream.of(settings.java(), "-Xmx2g"),
                                settings.standaloneOptions().stream(),
                                Stream.of("-jar", settings.standaloneJar()))
                        .flatMap(s -> s)
                        .toList(),
                Map.of(
                        "CAMPANELLO_API_KEY", API_KEY,
                        "CAMPANELLO_DATA_DIR", settings.work().resolve("campanello").toString(),
                        "CAMPANELLO_INGEST_SOURCE_TOPICS", SOURCE_TOPIC));
        standalonePid = standalone.pid();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
        List<NewTopic> topics = List.of(NAIVE_TOPIC, CONNECT_TOPIC, SOURCE_TOPIC).stream()
                .map(t -> new NewTopic(t, settings.partitions(), (short) 1))
                .toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                admin.createTopics(topics).all().get();
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    break;
                }
                if (System.nanoTime() > deadline || !standalone.isAlive()) {
                    throw new IllegalStateException("could not create the benchmark's topics", e);
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        processes.awaitLine("standalone", standalone, "Campanello is ready", Duration.ofSeconds(120));
        int partitions = admin.describeTopics(List.of(SOURCE_TOPIC))
                .allTopicNames()
                .get()
                .get(SOURCE_TOPIC)
                .partitions()
                .size();
        if (partitions != settings.partitions()) {
            throw new IllegalStateException(SOURCE_TOPIC + " has " + partitions + " partitions, not "
                    + settings.partitions() + ": ingest created it before the benchmark could");
        }
    }

    /** Creates an active subscription of the default tenant to one event type; returns its id. */
    String subscribe(String eventType, String url) {
        String body = "{\"url\": \"" + url + "\", \"eventTypes\": [\"" + eventType + "\"], \"activate\": true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8082/v1/subscriptions"))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "subscribing " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the consumer group's members own all partitions of the topic (no member fetches for the rest). */
    void awaitAssignment(String group, String topic, Process owner, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        int owned = 0;
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("the consumer of " + topic + " exited");
            }
            ConsumerGroupDescription description;
            try {
                description =
                        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                continue;
            }
            owned = description.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(topic))
                    .collect(Collectors.toSet())
                    .size();
            if (owned == settings.partitions() && description.members().size() >= settings.partitions()) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new IllegalStateException(
                group + " owns " + owned + " of " + settings.partitions() + " partitions of " + topic + " after " + limit);
    }

    Path work() {
        return settings.work();
    }

    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
