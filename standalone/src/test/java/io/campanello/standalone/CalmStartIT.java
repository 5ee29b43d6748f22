package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A calm start: the standalone, run as its own process, prints one line per service as it comes up and then its
 * banner — no framework chatter, no warnings — so the first screen fits one terminal page; {@code --verbose} shows
 * the framework's lines again.
 */
class CalmStartIT {

    /** The last line of the banner. */
    private static final String BANNER_END = "/bins/demo/requests";

    private static final int TERMINAL_PAGE = 40;

    @TempDir
    Path dataDir;

    @Test
    void theFirstScreenIsOneLinePerServiceAndThenTheBanner() throws Exception {
        List<String> screen = firstScreen();

        int ready = indexOf(screen, "Campanello is ready");
        assertThat(screen.subList(0, ready))
                .as("before the banner, one line per service (and a blank one): %s", screen)
                .allSatisfy(line -> assertThat(line).matches("|  \\S+ +up .*"))
                .hasSize(9);
        assertThat(screen.get(0)).contains("Kafka");
        assertThat(String.join("\n", screen))
                .contains("subscriptions", "ingest", "dispatcher", "retry", "history", "inspector", "console")
                .doesNotContain("WARN", "SpringDoc", "INFO");
        assertThat(screen).hasSizeLessThanOrEqualTo(TERMINAL_PAGE);
    }

    @Test
    void verboseShowsTheFrameworksLines() throws Exception {
        List<String> screen = firstScreen("--verbose");

        assertThat(screen.subList(0, indexOf(screen, "Campanello is ready")))
                .anySatisfy(line -> assertThat(line).contains("INFO").contains("Started IngestApplication"));
    }

    private static int indexOf(List<String> screen, String text) {
        for (int i = 0; i < screen.size(); i++) {
            if (screen.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in " + screen);
    }

    /** What the standalone printed up to the end of its banner; the process is stopped afterwards. */
    private List<String> firstScreen(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                StandaloneOnFreePorts.class.getName(),
                dataDir.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CAMPANELLO_LOG_LEVEL");
        Process process = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (var out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                assertThat(process.isAlive())
                        .as("the standalone runs: %s", lines)
                        .isTrue();
                return lines.stream().anyMatch(line -> line.contains(BANNER_END));
            });
            List<String> screen = new ArrayList<>();
            for (String line : lines) {
                screen.add(line);
                if (line.contains(BANNER_END)) {
                    break;
                }
            }
            return screen;
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
