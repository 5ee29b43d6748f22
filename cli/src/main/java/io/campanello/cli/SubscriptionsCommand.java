package io.campanello.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code campanello subscriptions …}: list, create and change the state of subscriptions. */
@Command(name = "subscriptions", description = "List and manage subscriptions.", mixinStandardHelpOptions = true)
final class SubscriptionsCommand {

    @ParentCommand
    private Campanello campanello;

    @Spec
    private CommandSpec spec;

    @Command(name = "list", description = "The tenant's subscriptions.")
    int list() {
        return campanello.attempt(() -> {
            JsonNode answer = campanello.api().get(collection());
            if (campanello.json()) {
                spec.commandLine().getOut().println(Json.pretty(answer));
                return ExitCodes.OK;
            }
            var table = new TextTable("ID", "STATUS", "MODE", "EVENT TYPES", "URL");
            for (JsonNode subscription : answer) {
                table.row(
                        Json.text(subscription, "id"),
                        Json.text(subscription, "status"),
                        Json.text(subscription, "mode"),
                        eventTypes(subscription),
                        Json.text(subscription, "url"));
            }
            table.print(spec.commandLine().getOut());
            return ExitCodes.OK;
        });
    }

    @Command(
            name = "create",
            description = "Create a subscription (a draft unless --activate); prints its secret once.")
    int create(
            @Option(names = "--url", required = true, paramLabel = "URL", description = "The endpoint to call.")
                    String url,
            @Option(
                            names = "--type",
                            required = true,
                            paramLabel = "TYPE",
                            description = "An event type or pattern (order.created, order.*, *); repeatable.")
                    List<String> types,
            @Option(names = "--filter", paramLabel = "CEL", description = "A CEL expression, e.g. data.amount > 100.")
                    String filter,
            @Option(
                            names = "--mode",
                            paramLabel = "MODE",
                            description = "EVERY_TIME (default), ONCE_PER_SUBJECT or ON_TRANSITION.")
                    String mode,
            @Option(names = "--activate", description = "Start ACTIVE instead of DRAFT.") boolean activate) {
        return campanello.attempt(() -> {
            ObjectNode body = Json.object().put("url", url);
            types.forEach(body.putArray("eventTypes")::add);
            if (filter != null) {
                body.put("filter", filter);
            }
            if (mode != null) {
                body.put("mode", mode);
            }
            if (activate) {
                body.put("activate", true);
            }
            JsonNode created = campanello.api().post(collection(), body);
            var out = spec.commandLine().getOut();
            if (campanello.json()) {
                out.println(Json.pretty(created));
            } else {
                out.println(Json.text(created, "id") + "  " + Json.text(created, "status"));
                out.println("secret: " + Json.text(created, "secret"));
                out.println("(receivers verify signatures with it; GET /v1/subscriptions/{id}/secret shows it again)");
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "activate", description = "Start delivering to a draft subscription.")
    int activate(@Parameters(paramLabel = "ID", description = "The subscription (sub_…).") String id) {
        return transition(id, "activate");
    }

    @Command(name = "pause", description = "Stop delivering; matching deliveries are parked in order.")
    int pause(@Parameters(paramLabel = "ID", description = "The subscription (sub_…).") String id) {
        return transition(id, "pause");
    }

    @Command(name = "resume", description = "Deliver again, the parked deliveries first.")
    int resume(@Parameters(paramLabel = "ID", description = "The subscription (sub_…).") String id) {
        return transition(id, "resume");
    }

    @Command(
            name = "health",
            description = "Why deliveries are or are not going out: the endpoint's circuit and next probe, its"
                    + " failures, and the deliveries waiting, summed and per dispatcher instance.")
    int health(@Parameters(paramLabel = "ID", description = "The subscription (sub_…).") String id) {
        return campanello.attempt(() -> {
            JsonNode health = campanello.api().get(collection() + "/" + QueryString.segment(id) + "/health");
            var out = spec.commandLine().getOut();
            if (campanello.json()) {
                out.println(Json.pretty(health));
            } else {
                HealthReport.print(health, out);
            }
            return ExitCodes.OK;
        });
    }

    private int transition(String id, String action) {
        return campanello.attempt(() -> {
            JsonNode subscription = campanello.api().post(collection() + "/" + QueryString.segment(id) + "/" + action);
            var out = spec.commandLine().getOut();
            out.println(
                    campanello.json()
                            ? Json.pretty(subscription)
                            : Json.text(subscription, "id") + "  " + Json.text(subscription, "status"));
            return ExitCodes.OK;
        });
    }

    private String collection() {
        return campanello.subscriptionsUrl() + "/v1/subscriptions";
    }

    private static String eventTypes(JsonNode subscription) {
        List<String> types = new ArrayList<>();
        subscription.path("eventTypes").forEach(type -> types.add(type.asString()));
        return types.isEmpty() ? "-" : String.join(",", types);
    }
}
