package io.campanello.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code campanello events send|trace}: publish one event; see where an event went. */
@Command(name = "events", description = "Send events and trace where they went.", mixinStandardHelpOptions = true)
final class EventsCommand {

    @ParentCommand
    private Campanello campanello;

    @Spec
    private CommandSpec spec;

    @Command(name = "send", description = "Send one event (POST /v1/events); prints its id.")
    int send(
            @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The event type.")
                    String type,
            @Option(names = "--subject", paramLabel = "SUBJECT", description = "What it is about, e.g. order-42.")
                    String subject,
            @Option(names = "--source", paramLabel = "SOURCE", description = "The system it comes from.") String source,
            @Option(
                            names = "--data",
                            paramLabel = "JSON|@FILE",
                            description = "The event's data: JSON, or @file to read it from a file (@- for stdin).")
                    String data) {
        return campanello.attempt(() -> {
            ObjectNode event = Json.object().put("type", type);
            if (subject != null) {
                event.put("subject", subject);
            }
            if (source != null) {
                event.put("source", source);
            }
            if (data != null) {
                event.set("data", data(data));
            }
            JsonNode answer = campanello.api().post(campanello.ingestUrl() + "/v1/events", event);
            var out = spec.commandLine().getOut();
            out.println(campanello.json() ? Json.pretty(answer) : Json.text(answer, "id"));
            return ExitCodes.OK;
        });
    }

    @Command(name = "trace", description = "Where an event went: its delivery to each subscription, and how it stands.")
    int trace(
            @Parameters(paramLabel = "ID", description = "The event id (evt_…), as events send printed it.")
                    String id) {
        return campanello.attempt(() -> {
            JsonNode page = campanello
                    .api()
                    .get(campanello.historyUrl() + "/v1/events/" + QueryString.segment(id) + "/deliveries?limit=1000");
            ArrayNode items = Json.object().arrayNode();
            page.path("items").forEach(items::add);
            DeliveriesCommand.print(campanello, spec, items, null, "no deliveries of " + id);
            return ExitCodes.OK;
        });
    }

    private JsonNode data(String value) {
        String text = value;
        try {
            if (value.equals("@-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } else if (value.startsWith("@")) {
                text = Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(), "--data: cannot read " + value.substring(1), e, null, null);
        }
        try {
            return Json.parse(text);
        } catch (JacksonException e) {
            throw new ParameterException(spec.commandLine(), "--data is not JSON: " + e.getOriginalMessage());
        }
    }
}
