package io.campanello.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The main class of one broker JVM of a {@link KafkaCluster}: Apache Kafka's own broker in KRaft combined mode
 * (broker and controller). Its log directory is formatted at the first start and kept, so a restart finds its data.
 * SIGTERM shuts it down in a controlled way (leaders moved first); SIGKILL is a crash.
 */
public final class BrokerNode {

    /** Printed once the broker has started; {@link KafkaCluster} waits for it. */
    static final String READY = "campanello broker ready";

    private BrokerNode() {}

    /** {@code BrokerNode <server.properties> <cluster id>} */
    public static void main(String[] args) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
            properties.load(reader);
        }
        KafkaConfig config = KafkaConfig.fromProps(properties, false);
        String logDir = properties.getProperty("log.dirs");
        if (!Files.exists(Path.of(logDir, "meta.properties"))) {
            try {
                new Formatter()
                        .setPrintStream(System.out)
                        .setNodeId(config.nodeId())
                        .setClusterId(args[1])
                        .setControllerListenerName(KafkaCluster.CONTROLLER)
                        .setMetadataLogDirectory(config.metadataLogDir())
                        .addDirectory(logDir)
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("cannot format " + logDir, e);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }));
        server.startup();
        System.out.println(READY);
        server.awaitShutdown();
    }
}
