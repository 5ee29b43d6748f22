package io.campanello.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four Campanello services, each run as its container image runs it: the executable jar its module builds,
 * extracted by Spring Boot's jar tools (deploy/docker/Dockerfile does the same), so that classes load from plain jars.
 */
public enum Service {
    /** ingest-service: {@code POST /v1/events}, source topics. */
    INGEST("ingest-service", "IngestApplication"),
    /** subscription-service: {@code /v1/subscriptions}, matching. */
    SUBSCRIPTIONS("subscription-service", "SubscriptionApplication"),
    /** dispatcher-service: the outbound HTTP calls. */
    DISPATCHER("dispatcher-service", "DispatcherApplication"),
    /** retry-service: retry tiers, dead letters, replays. */
    RETRY("retry-service", "RetryApplication");

    private final String module;
    private final String application;

    Service(String module, String application) {
        this.module = module;
        this.application = application;
    }

    /** The line a started service logs when it is ready. */
    String readyLine() {
        return "Started " + application;
    }

    /**
     * The jar to run: {@link #executableJar()} extracted into {@code <module>/target/extracted}, once per build of
     * it. Starting from the extracted jar takes about 40 % less CPU than from the nested one (13 against 8 CPU
     * seconds for the ingest service on two cores), which a cluster test starting a dozen services at once needs.
     */
    synchronized Path runnableJar() {
        Path executable = executableJar();
        Path extracted = executable.resolveSibling("extracted");
        Path runnable = extracted.resolve(executable.getFileName());
        try {
            String source = executable.getFileName() + " " + Files.size(executable) + " "
                    + Files.getLastModifiedTime(executable).toMillis();
            Path marker = extracted.resolve(".source");
            if (Files.isRegularFile(runnable)
                    && Files.isRegularFile(marker)
                    && Files.readString(marker).equals(source)) {
                return runnable;
            }
            // Extracted beside and moved into place, so that an interrupted extraction is never taken for a whole one.
            Path fresh = Files.createTempDirectory(executable.getParent(), "extracting-");
            Process extract = new ProcessBuilder(
                            JvmProcess.java("256m").get(0),
                            "-Djarmode=tools",
                            "-jar",
                            executable.toString(),
                            "extract",
                            "--force",
                            "--destination",
                            fresh.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            fresh.resolveSibling(fresh.getFileName() + ".log").toFile())
                    .start();
            if (extract.waitFor() != 0 || !Files.isRegularFile(fresh.resolve(executable.getFileName()))) {
                throw new IllegalStateException("could not extract " + executable + ", see " + fresh + ".log");
            }
            Files.writeString(fresh.resolve(".source"), source);
            delete(extracted);
            Files.move(fresh, extracted);
            return runnable;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + executable, e);
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * The service's {@code *-exec.jar}, looked for in {@code <module>/target} next to the module running the tests
     * (or under {@code campanello.root} when set).
     */
    Path executableJar() {
        Path root = Path.of(System.getProperty("campanello.root", ".."));
        Path target = root.resolve(module).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "build " + module + " first (./mvnw verify builds it before the tests that run it)"));
        } catch (IOException e) {
            throw new UncheckedIOException("no " + target + ": build " + module + " first", e);
        }
    }
}
