package io.campanello.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The four Campanello services, each run from the executable jar its module builds. */
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
