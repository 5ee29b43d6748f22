package io.campanello.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code campanello dlq replay}: starts a replay job for the dead letters a filter matches and, unless told not to,
 * follows it to the end with a progress bar and a summary.
 */
@Command(
        name = "replay",
        description = {
            "Send matching dead letters again (POST /v1/replays), each with its original webhook-id.",
            "Waits with a progress bar and ends with a summary; Ctrl-C stops waiting, not the replay."
        },
        mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    private DlqCommand dlq;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DeadLetterFilter filter;

    @Option(names = "--all", description = "Replay every dead letter of the tenant: required when no filter is given.")
    private boolean all;

    @Option(names = "--dry-run", description = "Only count what would be replayed; send nothing.")
    private boolean dryRun;

    @Option(names = "--rate", paramLabel = "N", description = "At most N deliveries a second.")
    private Integer rate;

    @Option(names = "--no-wait", description = "Print the job id and return at once.")
    private boolean noWait;

    @Override
    public Integer call() {
        Campanello campanello = dlq.campanello;
        if (rate != null && rate < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1");
        }
        ObjectNode criteria = filter.toJson(campanello.clock());
        if (criteria.isEmpty() && !all) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no filter: give --subscription, --type, --reason, --since or --until, or --all to replay everything");
        }
        return campanello.attempt(() -> {
            ObjectNode body = Json.object();
            body.set("filter", criteria);
            body.put("dryRun", dryRun);
            if (rate != null) {
                body.put("ratePerSecond", rate);
            }
            var api = campanello.api();
            JsonNode started = api.post(campanello.retryUrl() + "/v1/replays", body);
            String id = Json.text(started, "id");
            if (noWait) {
                return printStarted(campanello, started, id);
            }
            var watch = new ReplayWatch(
                    api, campanello.retryUrl() + "/v1/replays/" + QueryString.segment(id), campanello.pollInterval());
            PrintWriter err = spec.commandLine().getErr();
            try (var ctrlC = InterruptOnCtrlC.forCurrentThread()) {
                JsonNode last;
                try {
                    last = campanello.json()
                            ? watch.await()
                            : watch.awaitShowingProgress(err, campanello.columns(), dryRun);
                } catch (InterruptedException e) {
                    err.println("stopped waiting: replay " + id + " goes on. Follow it with: campanello replays status "
                            + id + "; stop it with: campanello replays cancel " + id);
                    err.flush();
                    return ExitCodes.INTERRUPTED;
                }
                ReplayStatus status = ReplayStatus.of(last);
                var out = spec.commandLine().getOut();
                if (campanello.json()) {
                    out.println(Json.pretty(last));
                } else {
                    status.printSummary(out);
                }
                return status.succeeded() ? ExitCodes.OK : ExitCodes.REFUSED;
            }
        });
    }

    private int printStarted(Campanello campanello, JsonNode started, String id) {
        var out = spec.commandLine().getOut();
        if (campanello.json()) {
            out.println(Json.pretty(started));
        } else {
            out.println(id);
            out.println("follow it: campanello replays status " + id + "   stop it: campanello replays cancel " + id);
        }
        return ExitCodes.OK;
    }
}
