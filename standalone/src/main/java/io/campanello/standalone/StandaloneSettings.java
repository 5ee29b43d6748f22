package io.campanello.standalone;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Where the standalone puts its data and which ports it uses. {@link #fromEnvironment} reads
 * {@code CAMPANELLO_DATA_DIR} and {@code CAMPANELLO_API_KEY}; the ports are the documented ones. {@code dispatcher}
 * is false only for benchmarks that run a dispatcher of their own.
 */
record StandaloneSettings(
        Path dataDir,
        int kafkaPort,
        int controllerPort,
        int ingestPort,
        int subscriptionsPort,
        int dispatcherPort,
        int retryPort,
        int historyPort,
        int inspectorPort,
        int consolePort,
        String apiKey,
        boolean apiKeyGenerated,
        List<String> extraArguments,
        boolean dispatcher) {

    static StandaloneSettings fromEnvironment(Map<String, String> env) {
        String key = env.get("CAMPANELLO_API_KEY");
        boolean generated = key == null || key.isBlank();
        return new StandaloneSettings(
                Path.of(env.getOrDefault("CAMPANELLO_DATA_DIR", ".campanello/data")),
                9092,
                9093,
                8081,
                8082,
                8083,
                8084,
                8085,
                8090,
                8080,
                generated ? generateApiKey() : key,
                generated,
                List.of(),
                true);
    }

    /** The same settings with more arguments for every service. */
    StandaloneSettings withExtraArguments(List<String> more) {
        List<String> arguments = new java.util.ArrayList<>(extraArguments);
        arguments.addAll(more);
        return new StandaloneSettings(
                dataDir,
                kafkaPort,
                controllerPort,
                ingestPort,
                subscriptionsPort,
                dispatcherPort,
                retryPort,
                historyPort,
                inspectorPort,
                consolePort,
                apiKey,
                apiKeyGenerated,
                List.copyOf(arguments),
                dispatcher);
    }

    /** The same settings without the dispatcher service: for benchmarks that bring their own. */
    StandaloneSettings withoutDispatcher() {
        return new StandaloneSettings(
                dataDir,
                kafkaPort,
                controllerPort,
                ingestPort,
                subscriptionsPort,
                dispatcherPort,
                retryPort,
                historyPort,
                inspectorPort,
                consolePort,
                apiKey,
                apiKeyGenerated,
                extraArguments,
                false);
    }

    static String generateApiKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "cmp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "StandaloneSettings[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", apiKey=***]";
    }
}
