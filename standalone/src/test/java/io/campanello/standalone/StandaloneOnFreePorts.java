package io.campanello.standalone;

import java.nio.file.Path;
import java.util.List;

/**
 * The standalone's own start as {@code java -jar} runs it (first start: a generated API key), on free ports and a
 * given data directory, for tests of what it prints. Arguments: the data directory, then the standalone's own.
 */
final class StandaloneOnFreePorts {

    private StandaloneOnFreePorts() {}

    public static void main(String[] args) throws Exception {
        List<String> quiet = StartupLog.configure(List.of(args).contains("--verbose"), System.getenv(StartupLog.LEVEL));
        StandaloneSettings ports = TestStandalones.settings(Path.of(args[0]), List.of());
        Standalone.run(
                new StandaloneSettings(
                        ports.dataDir(),
                        ports.kafkaPort(),
                        ports.controllerPort(),
                        ports.ingestPort(),
                        ports.subscriptionsPort(),
                        ports.dispatcherPort(),
                        ports.retryPort(),
                        ports.historyPort(),
                        ports.inspectorPort(),
                        ports.consolePort(),
                        StandaloneSettings.generateApiKey(),
                        true,
                        quiet,
                        true),
                System.out);
    }
}
