package io.campanello.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code campanello replays status|cancel}: a replay job started earlier, possibly by someone else. */
@Command(name = "replays", description = "Follow or cancel replay jobs.", mixinStandardHelpOptions = true)
final class ReplaysCommand {

    @ParentCommand
    private Campanello campanello;

    @Spec
    private CommandSpec spec;

    @Command(name = "status", description = "A replay's state and counts.")
    int status(@Parameters(paramLabel = "ID", description = "The replay (rpl_…).") String id) {
        return campanello.attempt(() -> {
            print(campanello.api().get(url(id)), id);
            return ExitCodes.OK;
        });
    }

    @Command(name = "cancel", description = "Stop a running replay; what was sent stays sent.")
    int cancel(@Parameters(paramLabel = "ID", description = "The replay (rpl_…).") String id) {
        return campanello.attempt(() -> {
            print(campanello.api().delete(url(id)), id);
            return ExitCodes.OK;
        });
    }

    private void print(JsonNode status, String id) {
        var out = spec.commandLine().getOut();
        if (status.isMissingNode()) {
            out.println(campanello.json() ? "{\"id\": \"" + id + "\"}" : "replay " + id + " cancelled");
        } else if (campanello.json()) {
            out.println(Json.pretty(status));
        } else {
            ReplayStatus.of(status).printSummary(out);
        }
    }

    private String url(String id) {
        return campanello.retryUrl() + "/v1/replays/" + QueryString.segment(id);
    }
}
