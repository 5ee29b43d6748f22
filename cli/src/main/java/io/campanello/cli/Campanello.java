package io.campanello.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code campanello} command: global options (where each service is, the API key, the output format) and the
 * subcommands. Errors from any subcommand are classified in one place, {@link #attempt}.
 */
@Command(
        name = "campanello",
        mixinStandardHelpOptions = true,
        version = "campanello 0.1.0",
        description =
                "Operate Campanello from the shell: send and trace events, manage subscriptions, read the delivery"
                        + " history, list and replay dead letters.",
        subcommands = {
            EventsCommand.class,
            SubscriptionsCommand.class,
            DeliveriesCommand.class,
            DlqCommand.class,
            ReplaysCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the API refused the request, or a replay ended FAILED, CANCELLED or with failed deliveries",
            "2:usage error (unknown option, missing API key, bad value)",
            "3:cannot connect to the service",
            "4:unauthorized (401): the API key is missing or not valid",
            "130:stopped waiting (Ctrl-C); a replay goes on server-side"
        },
        footerHeading = "%nEnvironment (options win over it):%n",
        footer = {
            "  CAMPANELLO_API_KEY            --api-key",
            "  CAMPANELLO_INGEST_URL         --ingest-url",
            "  CAMPANELLO_SUBSCRIPTIONS_URL  --subscriptions-url",
            "  CAMPANELLO_RETRY_URL          --retry-url",
            "  CAMPANELLO_HISTORY_URL        --history-url"
        })
public class Campanello implements Runnable {

    static final String DEFAULT_INGEST_URL = "http://localhost:8081";
    static final String DEFAULT_SUBSCRIPTIONS_URL = "http://localhost:8082";
    static final String DEFAULT_RETRY_URL = "http://localhost:8084";
    static final String DEFAULT_HISTORY_URL = "http://localhost:8085";

    private final Map<String, String> environment;
    private final Clock clock;
    private final Duration pollInterval;
    private final HttpClient http;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--ingest-url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = {
                "The ingest service, for events.",
                "Default " + DEFAULT_INGEST_URL + ", env CAMPANELLO_INGEST_URL."
            })
    private String ingestUrl;

    @Option(
            names = "--subscriptions-url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = {
                "The subscription service.",
                "Default " + DEFAULT_SUBSCRIPTIONS_URL + ", env CAMPANELLO_SUBSCRIPTIONS_URL."
            })
    private String subscriptionsUrl;

    @Option(
            names = "--retry-url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = {
                "The retry service, for dlq and replays.",
                "Default " + DEFAULT_RETRY_URL + ", env CAMPANELLO_RETRY_URL."
            })
    private String retryUrl;

    @Option(
            names = "--history-url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = {
                "The history service, for deliveries and events trace.",
                "Default " + DEFAULT_HISTORY_URL + ", env CAMPANELLO_HISTORY_URL."
            })
    private String historyUrl;

    @Option(
            names = "--api-key",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY",
            description = "The API key (env CAMPANELLO_API_KEY); required.")
    private String apiKey;

    @Option(
            names = "--tenant",
            scope = ScopeType.INHERIT,
            paramLabel = "TENANT",
            description = "The tenant to act for, sent as Campanello-Tenant (with the admin key).")
    private String tenant;

    @Option(
            names = "--output",
            scope = ScopeType.INHERIT,
            paramLabel = "text|json",
            converter = Output.Converter.class,
            description = "text (default) for people, json (the API's JSON) for scripts.")
    private Output output = Output.TEXT;

    /**
     * @param environment where the {@code CAMPANELLO_*} variables are read
     * @param clock the "now" that relative times such as {@code --since 2h} count back from
     * @param pollInterval how often a waiting replay asks for progress
     */
    public Campanello(Map<String, String> environment, Clock clock, Duration pollInterval) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static void main(String[] args) {
        var campanello = new Campanello(System.getenv(), Clock.systemUTC(), Duration.ofMillis(500));
        System.exit(campanello.commandLine().execute(args));
    }

    /**
     * The command line to execute this command with. {@code @file} arguments are not expanded (picocli's default),
     * since {@code --data @file} reads the event's data from the file itself.
     */
    public CommandLine commandLine() {
        return new CommandLine(this).setExpandAtFiles(false).setParameterExceptionHandler(Campanello::usageError);
    }

    /** A usage error in two lines, as git says it, instead of picocli's whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Without a subcommand: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs one subcommand's action, and turns what can go wrong talking to Campanello into a message and exit code. */
    int attempt(Action action) {
        var err = spec.commandLine().getErr();
        try {
            return action.run();
        } catch (ApiException e) {
            err.println("error: " + e.detail() + " (" + e.code() + ")");
            return e.status() == 401 ? ExitCodes.UNAUTHORIZED : ExitCodes.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return ExitCodes.INTERRUPTED;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        } finally {
            err.flush();
            spec.commandLine().getOut().flush();
        }
    }

    ApiClient api() {
        String key = apiKey != null ? apiKey : environment.get("CAMPANELLO_API_KEY");
        if (key == null || key.isBlank()) {
            throw new ParameterException(running(), "an API key is required: --api-key or CAMPANELLO_API_KEY");
        }
        return new ApiClient(http, key, tenant);
    }

    /** The subcommand being run, for its name in messages. */
    private CommandLine running() {
        ParseResult result = spec.commandLine().getParseResult();
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec().commandLine();
    }

    String ingestUrl() {
        return setting(ingestUrl, "CAMPANELLO_INGEST_URL", DEFAULT_INGEST_URL);
    }

    String subscriptionsUrl() {
        return setting(subscriptionsUrl, "CAMPANELLO_SUBSCRIPTIONS_URL", DEFAULT_SUBSCRIPTIONS_URL);
    }

    String retryUrl() {
        return setting(retryUrl, "CAMPANELLO_RETRY_URL", DEFAULT_RETRY_URL);
    }

    String historyUrl() {
        return setting(historyUrl, "CAMPANELLO_HISTORY_URL", DEFAULT_HISTORY_URL);
    }

    boolean json() {
        return output == Output.JSON;
    }

    Clock clock() {
        return clock;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    /** The width a progress bar may take: {@code COLUMNS} when set, otherwise the terminal's (0: ask the terminal). */
    int columns() {
        try {
            return Integer.parseInt(environment.getOrDefault("COLUMNS", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String setting(String option, String variable, String fallback) {
        String value = option != null ? option : environment.getOrDefault(variable, fallback);
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** What a subcommand does once its options are read; returns the exit code. */
    @FunctionalInterface
    interface Action {
        int run() throws IOException, InterruptedException;
    }

    /** How results are printed. */
    enum Output {
        /** Tables and short lines for people. */
        TEXT,
        /** The API's JSON, for scripts. */
        JSON;

        /** Accepts {@code text} and {@code json} in any case. */
        static final class Converter implements CommandLine.ITypeConverter<Output> {
            @Override
            public Output convert(String value) {
                return Output.valueOf(value.trim().toUpperCase(Locale.ROOT));
            }
        }
    }
}
