package io.campanello.standalone;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka Connect worker in standalone mode ({@code ConnectStandalone}), in a JVM of its own whose class path is the
 * {@code debezium-connect} module's {@code target/connect-lib} (Connect, Debezium's PostgreSQL connector and its
 * outbox router): the test's JVM never loads these jars. Its output goes to {@code connect.log} in its folder.
 */
final class ConnectWorker implements AutoCloseable {

    /** Set by the standalone's failsafe configuration; built by the debezium-connect module. */
    static final String CLASS_PATH_PROPERTY = "campanello.connect-lib";

    private final Process process;
    private final int restPort;
    private final Path log;

    private ConnectWorker(Process process, int restPort, Path log) {
        this.process = process;
        this.restPort = restPort;
        this.log = log;
    }

    /** The folder of the worker's jars, or why there is none. */
    static Path classPath() {
        String configured = System.getProperty(CLASS_PATH_PROPERTY);
        Path lib = configured == null ? Path.of("../debezium-connect/target/connect-lib") : Path.of(configured);
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(
                    lib.toAbsolutePath() + " is missing: build the debezium-connect module first (./mvnw package)");
        }
        return lib.toAbsolutePath().normalize();
    }

    /**
     * Starts a worker on the broker with one connector, whose configuration is a JSON file in the shape of the REST
     * API's {@code POST /connectors} body; returns once the connector's task runs.
     */
    static ConnectWorker start(Path dir, String bootstrapServers, Path connectorJson, String connector)
            throws IOException {
        int restPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            restPort = socket.getLocalPort();
        }
        Path worker = dir.resolve("worker.properties");
        Files.write(
                worker,
                List.of(
                        "bootstrap.servers=" + bootstrapServers,
                        "listeners=http://127.0.0.1:" + restPort,
                        "offset.storage.file.filename=" + dir.resolve("offsets"),
                        "offset.flush.interval.ms=1000",
                        "key.converter=org.apache.kafka.connect.storage.StringConverter",
                        "value.converter=org.apache.kafka.connect.json.JsonConverter",
                        "value.converter.schemas.enable=false"));
        Path log = dir.resolve("connect.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        classPath() + "/*",
                        "org.apache.kafka.connect.cli.ConnectStandalone",
                        worker.toString(),
                        connectorJson.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ConnectWorker started = new ConnectWorker(process, restPort, log);
        try {
            started.awaitRunning(connector);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private void awaitRunning(String connector) {
        HttpClient http = HttpClient.newHttpClient();
        URI status = URI.create("http://127.0.0.1:" + restPort + "/connectors/" + connector + "/status");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Connect exited with " + process.exitValue() + ", see " + log);
                    }
                    try {
                        String body = http.send(
                                        HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                                .body();
                        if (body.contains("\"FAILED\"")) {
                            throw new IllegalStateException("the connector failed: " + body);
                        }
                        return body.contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"");
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                });
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Its output so far, for a failing test's message. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
