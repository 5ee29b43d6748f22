package io.campanello.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code campanello dlq …}: the dead letters, what they say, and replaying them. */
@Command(
        name = "dlq",
        description = "List, show and replay dead letters.",
        mixinStandardHelpOptions = true,
        subcommands = ReplayCommand.class)
final class DlqCommand {

    static final int DEFAULT_LIMIT = 100;

    @ParentCommand
    Campanello campanello;

    @Spec
    private CommandSpec spec;

    @Command(name = "list", description = "Dead letters, following pages up to --limit.")
    int list(
            @Mixin DeadLetterFilter filter,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "" + DEFAULT_LIMIT,
                            description = "At most this many (default: ${DEFAULT-VALUE}).")
                    int limit) {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        return campanello.attempt(() -> {
            var page = CursorPages.collect(
                    campanello.api(),
                    limit,
                    (wanted, cursor) -> filter.addTo(
                                    QueryString.on(campanello.retryUrl() + "/v1/dead-letters"), campanello.clock())
                            .add("limit", wanted)
                            .add("cursor", cursor)
                            .url());
            print(page.items(), page.nextCursor());
            return ExitCodes.OK;
        });
    }

    @Command(name = "show", description = "One dead letter with its event.")
    int show(@Parameters(paramLabel = "ID", description = "The dead letter's id.") String id) {
        return campanello.attempt(() -> {
            JsonNode deadLetter =
                    campanello.api().get(campanello.retryUrl() + "/v1/dead-letters/" + QueryString.segment(id));
            var out = spec.commandLine().getOut();
            if (campanello.json()) {
                out.println(Json.pretty(deadLetter));
                return ExitCodes.OK;
            }
            for (String field : new String[] {
                "id",
                "deliveryId",
                "subscriptionId",
                "eventId",
                "eventType",
                "reason",
                "lastStatus",
                "lastError",
                "attempts",
                "firstAttemptAt",
                "lastAttemptAt",
                "deadAt"
            }) {
                out.printf("%-15s %s%n", field, Json.text(deadLetter, field));
            }
            if (!deadLetter.path("event").isMissingNode()) {
                out.println("event:");
                out.println(Json.pretty(deadLetter.path("event")));
            }
            return ExitCodes.OK;
        });
    }

    private void print(ArrayNode items, String nextCursor) {
        PrintWriter out = spec.commandLine().getOut();
        if (campanello.json()) {
            ObjectNode all = Json.object();
            all.set("items", items);
            all.put("nextCursor", nextCursor);
            out.println(Json.pretty(all));
            return;
        }
        if (items.isEmpty()) {
            out.println("no dead letters match");
            return;
        }
        var table = new TextTable("ID", "DEAD AT", "REASON", "SUBSCRIPTION", "EVENT TYPE", "ATTEMPTS", "LAST STATUS");
        for (JsonNode item : items) {
            table.row(
                    Json.text(item, "id"),
                    Json.text(item, "deadAt"),
                    Json.text(item, "reason"),
                    Json.text(item, "subscriptionId"),
                    Json.text(item, "eventType"),
                    Json.text(item, "attempts"),
                    Json.text(item, "lastStatus"));
        }
        table.print(out);
        if (nextCursor != null) {
            spec.commandLine().getErr().println("(showing " + items.size() + "; more match: raise --limit)");
        }
    }
}
