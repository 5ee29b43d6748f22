package io.campanello.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code campanello deliveries …}: the delivery history of a subscription, one delivery's attempts, redelivery. */
@Command(
        name = "deliveries",
        description = "What happened to each delivery: list a subscription's, show one with its attempts, redeliver.",
        mixinStandardHelpOptions = true)
final class DeliveriesCommand {

    static final int DEFAULT_LIMIT = 50;

    @ParentCommand
    Campanello campanello;

    @Spec
    private CommandSpec spec;

    @Command(name = "list", description = "A subscription's deliveries, newest first, following pages up to --limit.")
    int list(
            @Option(names = "--subscription", required = true, paramLabel = "ID", description = "The subscription.")
                    String subscription,
            @Option(
                            names = "--status",
                            paramLabel = "STATUS",
                            description = "Only: pending, delivered, retrying, dead or parked.")
                    String status,
            @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type.") String type,
            @Option(
                            names = "--since",
                            paramLabel = "TIME",
                            description = "Created since: an ISO-8601 instant, a date, or how long ago (30m, 2h, 1d).")
                    String since,
            @Option(names = "--until", paramLabel = "TIME", description = "Created before: as for --since.")
                    String until,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "" + DEFAULT_LIMIT,
                            description = "At most this many (default: ${DEFAULT-VALUE}).")
                    int limit) {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        var from = time("--since", since);
        var to = time("--until", until);
        return campanello.attempt(() -> {
            var page = CursorPages.collect(
                    campanello.api(),
                    limit,
                    (wanted, cursor) -> QueryString.on(campanello.historyUrl() + "/v1/subscriptions/"
                                    + QueryString.segment(subscription) + "/deliveries")
                            .add("status", status)
                            .add("type", type)
                            .add("since", from)
                            .add("until", to)
                            .add("limit", Math.min(wanted, 1000))
                            .add("cursor", cursor)
                            .url());
            print(page.items(), page.nextCursor(), "no deliveries match");
            return ExitCodes.OK;
        });
    }

    @Command(name = "show", description = "One delivery with every attempt and its payload.")
    int show(@Parameters(paramLabel = "ID", description = "The delivery id (dlv_…, the webhook-id).") String id) {
        return campanello.attempt(() -> {
            JsonNode detail =
                    campanello.api().get(campanello.historyUrl() + "/v1/deliveries/" + QueryString.segment(id));
            PrintWriter out = spec.commandLine().getOut();
            if (campanello.json()) {
                out.println(Json.pretty(detail));
                return ExitCodes.OK;
            }
            JsonNode delivery = detail.path("delivery");
            for (String field : new String[] {
                "id", "status", "subscriptionId", "eventId", "eventType", "createdAt", "nextAttemptAt", "deadReason"
            }) {
                out.printf("%-15s %s%n", field, Json.text(delivery, field));
            }
            var attempts = new TextTable("#", "STARTED AT", "MS", "OUTCOME", "STATUS", "ERROR");
            for (JsonNode attempt : detail.path("attempts")) {
                attempts.row(
                        Json.text(attempt, "attempt"),
                        Json.text(attempt, "startedAt"),
                        Json.text(attempt, "durationMillis"),
                        Json.text(attempt, "outcome"),
                        Json.text(attempt, "status"),
                        error(attempt));
            }
            out.println("attempts:");
            attempts.print(out);
            if (detail.path("payload").isObject()) {
                out.println("payload:");
                out.println(Json.pretty(detail.path("payload")));
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "redeliver", description = "Send one delivery again now, with the same webhook-id.")
    int redeliver(@Parameters(paramLabel = "ID", description = "The delivery id (dlv_…).") String id) {
        return campanello.attempt(() -> {
            JsonNode answer = campanello
                    .api()
                    .post(campanello.historyUrl() + "/v1/deliveries/" + QueryString.segment(id) + "/redeliver");
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    campanello.json()
                            ? Json.pretty(answer)
                            : "redelivering " + Json.text(answer, "deliveryId") + " (same webhook-id)");
            return ExitCodes.OK;
        });
    }

    /** Prints deliveries as a table (or the API's JSON); shared with {@code events trace}. */
    static void print(Campanello campanello, CommandSpec spec, ArrayNode items, String nextCursor, String noneMessage) {
        PrintWriter out = spec.commandLine().getOut();
        if (campanello.json()) {
            ObjectNode all = Json.object();
            all.set("items", items);
            all.put("nextCursor", nextCursor);
            out.println(Json.pretty(all));
            return;
        }
        if (items.isEmpty()) {
            out.println(noneMessage);
            return;
        }
        var table = new TextTable(
                "ID", "CREATED AT", "STATUS", "SUBSCRIPTION", "EVENT TYPE", "ATTEMPTS", "LAST STATUS", "NEXT ATTEMPT");
        for (JsonNode item : items) {
            table.row(
                    Json.text(item, "id"),
                    Json.text(item, "createdAt"),
                    Json.text(item, "status"),
                    Json.text(item, "subscriptionId"),
                    Json.text(item, "eventType"),
                    Json.text(item, "attempts"),
                    item.path("lastStatus").isNumber() ? Json.text(item, "lastStatus") : Json.text(item, "lastError"),
                    Json.text(item, "nextAttemptAt"));
        }
        table.print(out);
        if (nextCursor != null) {
            spec.commandLine().getErr().println("(showing " + items.size() + "; more match: raise --limit)");
        }
    }

    private void print(ArrayNode items, String nextCursor, String noneMessage) {
        print(campanello, spec, items, nextCursor, noneMessage);
    }

    private static String error(JsonNode attempt) {
        String error = Json.text(attempt, "error");
        String detail = Json.text(attempt, "errorDetail");
        return detail.equals("-") ? error : error + ": " + detail;
    }

    private java.time.Instant time(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return PointInTime.parse(value, campanello.clock());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
