package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator's CLI, the built jar run as a process, against a running stack. */
class CliIT {

    private static final Path JAR =
            Path.of("../cli/target/campanello.jar").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        assertThat(JAR).as("the CLI is built before the standalone's tests run").exists();
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir, List.of("--campanello.kafka.retry-delays=1s", TestStandalones.NO_CIRCUIT)));
        standalone = started.standalone();
        settings = started.settings();
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    /** What a command printed and how it ended. */
    record Run(int exitCode, String out, String err) {

        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    private static Run campanello(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--ingest-url=http://localhost:" + settings.ingestPort(),
                "--subscriptions-url=http://localhost:" + settings.subscriptionsPort(),
                "--retry-url=http://localhost:" + settings.retryPort()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dataDir, "out", ".txt");
        Path err = Files.createTempFile(dataDir, "err", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("CAMPANELLO_API_KEY", TestStandalones.API_KEY);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("campanello %s finished", List.of(args))
                .isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void anOperatorFindsTheDeadLettersDryRunsAReplayAndReplaysThem() throws Exception {
        receiver.on("/cli", 500, Map.of());
        Run created = campanello(
                "subscriptions",
                "create",
                "--url",
                receiver.url("/cli"),
                "--type",
                "refund.*",
                "--activate",
                "--output",
                "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String subscription = created.json().get("id").stringValue();
        for (int i = 0; i < 3; i++) {
            Run sent = campanello(
                    "events", "send", "--type", "refund.created", "--subject", "r-" + i, "--data", "{\"amount\": 5}");
            assertThat(sent.exitCode()).as(sent.err()).isZero();
            assertThat(sent.out()).contains("evt_");
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> campanello("dlq", "list", "--subscription", subscription, "--output", "json")
                                .json()
                                .get("items")
                                .size()
                        == 3);

        Run table = campanello("dlq", "list", "--subscription", subscription, "--since", "1h");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("exhausted", "refund.created", subscription);

        Run dryRun = campanello("dlq", "replay", "--subscription", subscription, "--dry-run", "--output", "json");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.json().get("matched").intValue()).isEqualTo(3);
        assertThat(dryRun.json().get("sent").intValue()).isZero();

        receiver.on("/cli", 204, Map.of());
        Run replay =
                campanello("dlq", "replay", "--subscription", subscription, "--reason", "exhausted", "--rate", "10");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("COMPLETED");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.received("/cli").stream()
                                .filter(r -> r.answeredWith() == 204)
                                .count()
                        == 3);

        ProcessBuilder noKey = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--subscriptions-url=http://localhost:" + settings.subscriptionsPort(),
                "--api-key=wrong",
                "subscriptions",
                "list");
        Process process = noKey.start();
        process.waitFor(60, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("unauthorized").isEqualTo(4);
    }
}
