package io.campanello.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster for tests: brokers in KRaft combined mode (each also a controller), each in a JVM of its own
 * running Apache Kafka's broker ({@link BrokerNode}), on free ports, with its data under a directory of the test.
 * Three brokers give replication factor 3 with {@code min.insync.replicas=2}: one broker can be stopped, killed or
 * restarted while producers with {@code acks=all} and the controller quorum carry on.
 */
public final class KafkaCluster implements AutoCloseable {

    static final String CONTROLLER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<JvmProcess> brokers;
    private final String bootstrapServers;

    private KafkaCluster(List<JvmProcess> brokers, List<Integer> ports) {
        this.brokers = brokers;
        this.bootstrapServers = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** Starts {@code size} brokers (1 to 3 or more) under {@code dir} and waits until all have joined the cluster. */
    public static KafkaCluster start(Path dir, int size) {
        List<Integer> ports =
                IntStream.range(0, size).mapToObj(i -> Ports.free()).toList();
        List<Integer> controllerPorts =
                IntStream.range(0, size).mapToObj(i -> Ports.free()).toList();
        String voters = IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        int replicas = Math.min(3, size);
        List<JvmProcess> brokers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Path nodeDir = dir.toAbsolutePath().resolve("broker-" + (i + 1));
            Properties config = config(i + 1, ports.get(i), controllerPorts.get(i), voters, replicas, nodeDir);
            brokers.add(
                    new JvmProcess("broker-" + (i + 1), command(nodeDir, config, clusterId), BrokerNode.READY, logs())
                            .launch());
        }
        KafkaCluster cluster = new KafkaCluster(brokers, ports);
        try {
            brokers.forEach(JvmProcess::awaitReady);
            cluster.awaitBrokers(size);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Where every broker and service JVM writes its log: {@code target/cluster-logs}. */
    static Path logs() {
        return Path.of("target", "cluster-logs").toAbsolutePath();
    }

    private static Properties config(
            int nodeId, int port, int controllerPort, String voters, int replicas, Path nodeDir) {
        String minInSync = Integer.toString(Math.max(1, replicas - 1));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", nodeDir.resolve("data").toString());
        p.put("num.partitions", "3");
        p.put("default.replication.factor", Integer.toString(replicas));
        p.put("min.insync.replicas", minInSync);
        p.put("offsets.topic.replication.factor", Integer.toString(replicas));
        p.put("transaction.state.log.replication.factor", Integer.toString(replicas));
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        // A replica that fell behind (a broker restarting) leaves the ISR after 10 s rather than 30 s.
        p.put("replica.lag.time.max.ms", "10000");
        return p;
    }

    private static List<String> command(Path nodeDir, Properties config, String clusterId) {
        try {
            Files.createDirectories(nodeDir);
            Path properties = nodeDir.resolve("server.properties");
            try (Writer writer = Files.newBufferedWriter(properties)) {
                config.store(writer, "written by KafkaCluster");
            }
            Path logback = nodeDir.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            List<String> command = new ArrayList<>(JvmProcess.java("384m"));
            command.add("-Dlogback.configurationFile=" + logback);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(BrokerNode.class.getName());
            command.add(properties.toString());
            command.add(clusterId);
            return command;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int size() {
        return brokers.size();
    }

    /** The replication factor topics get here: 3 (or the number of brokers, when fewer). */
    public int replicationFactor() {
        return Math.min(3, brokers.size());
    }

    /** The JVM of broker {@code node} (1 to size), to kill, terminate or restart it. */
    public JvmProcess broker(int node) {
        return brokers.get(node - 1);
    }

    /** Stops broker {@code node} with SIGTERM (a controlled shutdown) and waits until it is gone. */
    public void stopBroker(int node) {
        broker(node).terminate();
    }

    /** Kills broker {@code node} ({@code kill -9}). */
    public void killBroker(int node) {
        broker(node).kill();
    }

    /** Starts broker {@code node} again on its ports and data and waits until it is back in the cluster. */
    public void startBroker(int node) {
        broker(node).restart();
        awaitBrokers(brokers.size());
    }

    /** Kills every broker ({@code kill -9}): Kafka is gone for every client until {@link #startAllBrokers()}. */
    public void killAllBrokers() {
        brokers.forEach(JvmProcess::kill);
    }

    /**
     * Starts every broker that is not running, all at once (the controllers need a majority of them to elect a
     * leader), on their ports and data, and waits until all are back in the cluster.
     */
    public void startAllBrokers() {
        List<JvmProcess> stopped =
                brokers.stream().filter(broker -> !broker.isAlive()).toList();
        stopped.forEach(JvmProcess::launch);
        stopped.forEach(JvmProcess::awaitReady);
        awaitBrokers(brokers.size());
    }

    /** An admin client on this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000));
    }

    private void awaitBrokers(int count) {
        try (Admin admin = admin()) {
            await().atMost(READY_TIMEOUT).ignoreExceptions().until(() -> {
                Set<Integer> nodes = admin.describeCluster().nodes().get().stream()
                        .map(Node::id)
                        .collect(Collectors.toSet());
                return nodes.size() == count;
            });
        }
    }

    /** Kills every broker. */
    @Override
    public void close() {
        brokers.forEach(JvmProcess::destroy);
    }
}
