package io.campanello.cluster;

import io.campanello.kafka.SecretCipher;
import java.util.ArrayList;
import java.util.List;

/**
 * Campanello's services as their own JVMs, from the jars a deployment runs (extracted as in the container image), any number of each, against
 * one Kafka: each on a free port, with the settings every test needs (one API key, one key sealing subscription
 * secrets, plain HTTP to 127.0.0.0/8 allowed). {@link #close()} kills every one still running.
 */
public final class ServiceProcesses implements AutoCloseable {

    /** The API key of tenant {@code default} on every service started here. */
    public static final String API_KEY = "cmp_cluster_test_key";

    private final String bootstrapServers;
    private final List<String> shared;
    private final List<ServiceProcess> started = new ArrayList<>();

    /** Services on {@code kafka}, with its replication factor for the topics they create. */
    public ServiceProcesses(KafkaCluster kafka) {
        this(kafka.bootstrapServers(), kafka.replicationFactor(), SecretCipher.generateKey(), API_KEY);
    }

    /**
     * Services on any Kafka (a standalone's broker, say), sealing secrets with {@code secretsKey} and answering
     * {@code apiKey} (the same for every service here).
     */
    public ServiceProcesses(String bootstrapServers, int replicationFactor, String secretsKey, String apiKey) {
        this.bootstrapServers = bootstrapServers;
        this.shared = List.of(
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--campanello.api.key=" + apiKey,
                "--campanello.secrets.key=" + secretsKey,
                "--campanello.kafka.replication-factor=" + replicationFactor,
                "--campanello.url-policy.allow-http=true",
                "--campanello.url-policy.allow-list=127.0.0.0/8",
                "--spring.main.banner-mode=off",
                // A killed member's partitions move after the session timeout: the broker's least, 6 s.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Starts a service JVM named {@code name} with {@code arguments} on top of the shared ones; waits until ready. */
    public ServiceProcess start(Service service, String name, String... arguments) {
        return launch(service, name, arguments).awaitReady();
    }

    /** Starts a service JVM without waiting; {@link ServiceProcess#awaitReady()} waits (start several at once). */
    public synchronized ServiceProcess launch(Service service, String name, String... arguments) {
        int port = Ports.free();
        List<String> command = new ArrayList<>(JvmProcess.java("256m"));
        command.add("-jar");
        command.add(service.runnableJar().toString());
        command.add("--server.port=" + port);
        command.addAll(shared);
        command.addAll(List.of(arguments));
        JvmProcess jvm = new JvmProcess(name, command, service.readyLine(), KafkaCluster.logs()).launch();
        ServiceProcess process = new ServiceProcess(service, port, jvm);
        started.add(process);
        return process;
    }

    /** Kills every service JVM started here. */
    @Override
    public synchronized void close() {
        started.forEach(process -> process.jvm().destroy());
        started.clear();
    }
}
