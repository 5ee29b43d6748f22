package io.campanello.cli;

import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** {@code campanello subscriptions health}: the answer of {@code GET /v1/subscriptions/{id}/health} for people. */
final class HealthReport {

    private HealthReport() {}

    static void print(JsonNode health, PrintWriter out) {
        out.println(Json.text(health, "subscriptionId") + "  " + Json.text(health, "status") + "  "
                + Json.text(health, "url"));
        String circuit = Json.text(health, "circuit");
        out.println("circuit       " + circuit
                + (health.hasNonNull("nextProbeAt") ? ", next probe at " + Json.text(health, "nextProbeAt") : ""));
        out.println("failures      " + Json.count(health, "consecutiveFailures") + " in a row"
                + (health.hasNonNull("failingSince") ? ", failing since " + Json.text(health, "failingSince") : ""));
        out.println("last request  " + lastRequest(health));
        out.println("waiting       " + waiting(health.path("waiting")));
        JsonNode instances = health.path("instances");
        if (instances.isEmpty()) {
            out.println("(no dispatcher reports this endpoint: nothing sent to it since the dispatchers started)");
            return;
        }
        out.println();
        var table = new TextTable(
                "INSTANCE",
                "CIRCUIT",
                "NEXT PROBE",
                "FAILURES",
                "IN FLIGHT",
                "QUEUED",
                "DEFERRED",
                "RETRYING",
                "UPDATED");
        for (JsonNode instance : instances) {
            JsonNode waiting = instance.path("waiting");
            table.row(
                    Json.text(instance, "instance"),
                    Json.text(instance, "circuit"),
                    Json.text(instance, "nextProbeAt"),
                    Json.text(instance, "consecutiveFailures"),
                    Json.text(waiting, "inFlight"),
                    Json.text(waiting, "queued"),
                    Json.text(waiting, "deferred"),
                    Json.text(waiting, "retrying"),
                    Json.text(instance, "updatedAt"));
        }
        table.print(out);
    }

    private static String lastRequest(JsonNode health) {
        if (!health.hasNonNull("lastAttemptAt")) {
            return "-";
        }
        String answer = health.hasNonNull("lastStatus")
                ? "status " + Json.text(health, "lastStatus")
                : "error " + Json.text(health, "lastError");
        return answer + " at " + Json.text(health, "lastAttemptAt");
    }

    private static String waiting(JsonNode waiting) {
        return Json.count(waiting, "inFlight") + " in flight, " + Json.count(waiting, "queued") + " queued, "
                + Json.count(waiting, "deferred") + " deferred, " + Json.count(waiting, "retrying")
                + " in retry tiers, parked: " + (waiting.path("parked").asBoolean(false) ? "yes" : "no");
    }
}
