package io.campanello.standalone;

import io.campanello.console.ConsoleApplication;
import io.campanello.dispatcher.DispatcherApplication;
import io.campanello.history.HistoryApplication;
import io.campanello.ingest.IngestApplication;
import io.campanello.retry.RetryApplication;
import io.campanello.subscription.SubscriptionApplication;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One command, one machine: Apache Kafka's broker (KRaft) and the five services in one JVM, plus a local receiver
 * to try it with and the operator console. {@code java -jar standalone/target/campanello-standalone.jar}; Ctrl-C stops
 * everything.
 */
public final class Standalone implements AutoCloseable {

    private final EmbeddedBroker broker;
    private final Inspector inspector;
    private final List<ConfigurableApplicationContext> services;

    private Standalone(EmbeddedBroker broker, Inspector inspector, List<ConfigurableApplicationContext> services) {
        this.broker = broker;
        this.inspector = inspector;
        this.services = services;
    }

    public static void main(String[] args) throws Exception {
        List<String> quiet = StartupLog.configure(List.of(args).contains("--verbose"), System.getenv(StartupLog.LEVEL));
        run(StandaloneSettings.fromEnvironment(System.getenv()).withExtraArguments(quiet), System.out);
    }

    /**
     * Starts everything, printing one line per service as it comes up and then the quick start; Ctrl-C (or any
     * SIGTERM) stops it.
     */
    static void run(StandaloneSettings settings, PrintStream out) throws Exception {
        long started = System.nanoTime();
        Standalone standalone = start(settings, new StartupLog(out));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            standalone.close();
                            out.println("Campanello stopped.");
                        },
                        "campanello-shutdown"));
        out.println(Quickstart.text(settings, Duration.ofNanos(System.nanoTime() - started)));
    }

    static Standalone start(StandaloneSettings settings) throws Exception {
        return start(settings, new StartupLog(new PrintStream(OutputStream.nullOutputStream())));
    }

    private static Standalone start(StandaloneSettings settings, StartupLog log) throws Exception {
        EmbeddedBroker broker =
                EmbeddedBroker.start(settings.dataDir(), settings.kafkaPort(), settings.controllerPort());
        log.up("Kafka", "127.0.0.1:" + settings.kafkaPort());
        List<ConfigurableApplicationContext> services = new ArrayList<>();
        try {
            services.add(run(
                    SubscriptionApplication::application, settings, broker, settings.subscriptionsPort(), List.of()));
            log.up("subscriptions", "http://localhost:" + settings.subscriptionsPort());
            services.add(run(IngestApplication::application, settings, broker, settings.ingestPort(), List.of()));
            log.up("ingest", "http://localhost:" + settings.ingestPort());
            if (settings.dispatcher()) {
                services.add(run(
                        DispatcherApplication::application, settings, broker, settings.dispatcherPort(), List.of()));
                log.up("dispatcher", "http://localhost:" + settings.dispatcherPort());
            }
            services.add(run(RetryApplication::application, settings, broker, settings.retryPort(), List.of()));
            log.up("retry", "http://localhost:" + settings.retryPort());
            services.add(run(HistoryApplication::application, settings, broker, settings.historyPort(), List.of()));
            log.up("history", "http://localhost:" + settings.historyPort());
            Inspector inspector = Inspector.start(
                    settings.inspectorPort(), new SignatureChecker(settings.subscriptionsPort(), settings.apiKey()));
            log.up("inspector", "http://localhost:" + settings.inspectorPort());
            services.add(
                    run(ConsoleApplication::application, settings, broker, settings.consolePort(), console(settings)));
            log.up("console", "http://localhost:" + settings.consolePort());
            return new Standalone(broker, inspector, services);
        } catch (RuntimeException e) {
            Collections.reverse(services);
            services.forEach(ConfigurableApplicationContext::close);
            broker.close();
            throw e;
        }
    }

    /**
     * Where the console finds the services: all of them on this machine. The services' shared Kafka and API
     * configuration is on this JVM's class path too; the console uses neither (it checks no key: it passes it on).
     */
    private static List<String> console(StandaloneSettings settings) {
        return List.of(
                "--spring.autoconfigure.exclude=io.campanello.api.ApiAutoConfiguration,"
                        + "io.campanello.kafka.CampanelloKafkaAutoConfiguration,"
                        + "io.campanello.kafka.ConsumerLivenessAutoConfiguration,"
                        + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration,"
                        + "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration",
                "--springdoc.api-docs.enabled=false",
                "--campanello.console.services.subscriptions=http://127.0.0.1:" + settings.subscriptionsPort(),
                "--campanello.console.services.ingest=http://127.0.0.1:" + settings.ingestPort(),
                "--campanello.console.services.retry=http://127.0.0.1:" + settings.retryPort(),
                "--campanello.console.services.history=http://127.0.0.1:" + settings.historyPort(),
                "--campanello.console.services.inspector=http://127.0.0.1:" + settings.inspectorPort());
    }

    private static ConfigurableApplicationContext run(
            Supplier<SpringApplicationBuilder> application,
            StandaloneSettings settings,
            EmbeddedBroker broker,
            int port,
            List<String> more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--campanello.api.key=" + settings.apiKey(),
                "--campanello.secrets.key=" + SecretsKeyFile.readOrCreate(settings.dataDir()),
                "--campanello.kafka.replication-factor=1",
                // Local receivers: http and loopback addresses are fine on one's own machine.
                "--campanello.url-policy.allow-http=true",
                "--campanello.url-policy.allow-list=127.0.0.0/8,::1/128,localhost",
                "--campanello.matcher.state-dir="
                        + settings.dataDir().toAbsolutePath().resolve("matcher"),
                // One matcher instance: no other instance could hold a standby copy of its memory.
                "--campanello.matcher.standby-replicas=0",
                "--campanello.history.state-dir="
                        + settings.dataDir().toAbsolutePath().resolve("history"),
                "--campanello.history.standby-replicas=0",
                "--spring.main.banner-mode=off",
                // The standalone's own hook stops the services before the broker; Spring's would race it.
                "--spring.main.register-shutdown-hook=false"));
        arguments.addAll(more);
        arguments.addAll(settings.extraArguments());
        return application.get().run(arguments.toArray(String[]::new));
    }

    int inspectorPort() {
        return inspector.port();
    }

    /** Stops the services first (together: they are independent), so they commit what they finished, then the broker. */
    @Override
    public synchronized void close() {
        inspector.close();
        services.parallelStream().forEach(ConfigurableApplicationContext::close);
        services.clear();
        broker.close();
    }
}
