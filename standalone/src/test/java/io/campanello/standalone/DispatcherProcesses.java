package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatchers as their own processes (the executable jar a deployment runs) against a standalone started without its
 * dispatcher: started on a free port, waited for until ready, and all killed by {@link #stopAll()}.
 */
final class DispatcherProcesses {

    private final StandaloneSettings settings;
    private final Path dataDir;
    private final Map<Process, Integer> ports = new HashMap<>();
    private final List<Process> started = new ArrayList<>();

    DispatcherProcesses(StandaloneSettings settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    /** Starts a dispatcher with the settings every test needs, plus {@code arguments}; returns once it is ready. */
    Process start(String name, String... arguments) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "dispatcher-logs"))
                .resolve(System.currentTimeMillis() + "-" + name + ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                executableJar().toString(),
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + settings.kafkaPort(),
                "--campanello.api.key=" + TestStandalones.API_KEY,
                "--campanello.secrets.key=" + SecretsKeyFile.readOrCreate(dataDir),
                "--campanello.kafka.replication-factor=1",
                "--campanello.url-policy.allow-http=true",
                "--campanello.url-policy.allow-list=127.0.0.0/8",
                "--spring.main.banner-mode=off",
                // A killed member's partitions move after the session timeout: the broker's least, 6 s.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(process);
        ports.put(process, port);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(process.isAlive())
                    .as("dispatcher %s is running, see %s", name, log)
                    .isTrue();
            return Files.readString(log).contains("Started DispatcherApplication");
        });
        return process;
    }

    /** The HTTP (actuator) port of a dispatcher this started. */
    int port(Process dispatcher) {
        return ports.get(dispatcher);
    }

    /** Kills every dispatcher this started that is still running. */
    void stopAll() throws InterruptedException {
        for (Process dispatcher : started) {
            dispatcher.destroyForcibly();
            dispatcher.waitFor();
        }
        started.clear();
        ports.clear();
    }

    private static Path executableJar() throws IOException {
        Path target = Path.of("..", "dispatcher-service", "target");
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "build dispatcher-service first (./mvnw verify builds it before these tests)"));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
