package io.campanello.standalone;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Apache Kafka's own broker, one node in KRaft combined mode (broker and controller), in this JVM. Its data
 * directory is formatted once and kept, so topics and subscriptions survive a restart.
 */
final class EmbeddedBroker implements AutoCloseable {

    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    static EmbeddedBroker start(Path dataDir, int port, int controllerPort) throws Exception {
        Path logDir = dataDir.toAbsolutePath().resolve("kafka");
        Files.createDirectories(logDir);
        String listener = "127.0.0.1:" + port;
        String controller = "127.0.0.1:" + controllerPort;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + controller);
        p.put("listeners", "PLAINTEXT://" + listener + "," + CONTROLLER + "://" + controller);
        p.put("advertised.listeners", "PLAINTEXT://" + listener);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        // One broker: Kafka's share-group state topic, should a tool ever use a share group, needs one replica too.
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        KafkaConfig config = KafkaConfig.fromProps(p, false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                    // The standalone says "Kafka up" itself; the formatter's own lines would only crowd the first
                    // screen.
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedBroker(server, listener);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
