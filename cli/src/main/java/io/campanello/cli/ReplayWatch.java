package io.campanello.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Follows a replay job until it leaves {@code RUNNING}, asking for its status every poll interval and, for people,
 * drawing a progress bar: sent and failed out of matched (scanned, for a dry run, which sends nothing).
 */
final class ReplayWatch {

    private final ApiClient api;
    private final String statusUrl;
    private final Duration pollInterval;

    ReplayWatch(ApiClient api, String statusUrl, Duration pollInterval) {
        this.api = api;
        this.statusUrl = statusUrl;
        this.pollInterval = pollInterval;
    }

    /** Polls without drawing anything; returns the last status. */
    JsonNode await() throws IOException, InterruptedException {
        JsonNode status;
        do {
            status = poll();
        } while (ReplayStatus.of(status).isRunning());
        return status;
    }

    /**
     * Polls and draws the progress bar on {@code err}; returns the last status.
     *
     * @param columns the bar's width, 0 to ask the terminal
     */
    JsonNode awaitShowingProgress(PrintWriter err, int columns, boolean dryRun)
            throws IOException, InterruptedException {
        Consumer<String> draw = line -> {
            err.print('\r' + line);
            err.flush();
        };
        var consumer = columns > 0
                ? new DelegatingProgressBarConsumer(draw, columns)
                : new DelegatingProgressBarConsumer(draw);
        JsonNode status;
        try (ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(dryRun ? "Dry run" : "Replay")
                .setInitialMax(-1)
                .setUpdateIntervalMillis((int) Math.max(100, pollInterval.toMillis()))
                .setConsumer(consumer)
                .build()) {
            do {
                status = poll();
                show(bar, ReplayStatus.of(status));
            } while (ReplayStatus.of(status).isRunning());
        } finally {
            err.println();
            err.flush();
        }
        return status;
    }

    private static void show(ProgressBar bar, ReplayStatus status) {
        if (status.dryRun()) {
            bar.stepTo(status.scanned());
            bar.setExtraMessage("matched " + status.matched());
            return;
        }
        bar.maxHint(status.matched() > 0 ? status.matched() : -1);
        bar.stepTo(status.done());
        bar.setExtraMessage("scanned " + status.scanned() + (status.failed() > 0 ? ", failed " + status.failed() : ""));
    }

    private JsonNode poll() throws IOException, InterruptedException {
        JsonNode status = api.get(statusUrl);
        if (ReplayStatus.of(status).isRunning()) {
            Thread.sleep(pollInterval.toMillis());
        }
        return status;
    }
}
