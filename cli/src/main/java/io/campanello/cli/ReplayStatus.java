package io.campanello.cli;

import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** What {@code GET /v1/replays/{id}} says about a replay job: its state and its counts. */
record ReplayStatus(String id, String state, boolean dryRun, long scanned, long matched, long sent, long failed) {

    static final String RUNNING = "RUNNING";
    static final String COMPLETED = "COMPLETED";

    static ReplayStatus of(JsonNode json) {
        return new ReplayStatus(
                Json.text(json, "id"),
                Json.text(json, "state"),
                json.path("dryRun").asBoolean(false),
                Json.count(json, "scanned"),
                Json.count(json, "matched"),
                Json.count(json, "sent"),
                Json.count(json, "failed"));
    }

    boolean isRunning() {
        return RUNNING.equals(state);
    }

    /** How far the sending is: every matched dead letter ends sent or failed. */
    long done() {
        return sent + failed;
    }

    /** Completed with nothing failed; anything else makes the command exit 1. */
    boolean succeeded() {
        return COMPLETED.equals(state) && failed == 0;
    }

    void printSummary(PrintWriter out) {
        out.println("replay " + id + " " + state + (dryRun ? " (dry run: nothing was sent)" : ""));
        out.printf("  scanned  %d%n", scanned);
        out.printf("  matched  %d%n", matched);
        out.printf("  sent     %d%n", sent);
        out.printf("  failed   %d%n", failed);
    }
}
