package io.campanello.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code campanello} in-process with a fixed clock and captured output, as a person would type it. */
final class Cli {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String API_KEY = "cmp_test_key";

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {}

    private final Map<String, String> environment = new HashMap<>();
    private Duration pollInterval = Duration.ZERO;

    /** Every service at the fake, the test key in CAMPANELLO_API_KEY. */
    static Cli against(FakeApi api) {
        return new Cli()
                .env("CAMPANELLO_API_KEY", API_KEY)
                .env("CAMPANELLO_INGEST_URL", api.url())
                .env("CAMPANELLO_SUBSCRIPTIONS_URL", api.url())
                .env("CAMPANELLO_RETRY_URL", api.url())
                .env("CAMPANELLO_HISTORY_URL", api.url())
                .env("COLUMNS", "100");
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Cli withoutEnv(String name) {
        environment.remove(name);
        return this;
    }

    Cli pollingEvery(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var campanello = new Campanello(environment, Clock.fixed(NOW, ZoneOffset.UTC), pollInterval);
        int exitCode = campanello
                .commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
