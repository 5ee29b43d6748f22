package io.campanello.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opens each path of the benchmark: starts its processes, waits until they are ready, and says how to stop them. */
final class Paths {

    private static final String CONNECTOR = "bench-http-sink";

    private final Settings settings;
    private final Processes processes;
    private final Stack stack;
    private final ReceiverClient receiver;

    Paths(Settings settings, Processes processes, Stack stack, ReceiverClient receiver) {
        this.settings = settings;
        this.processes = processes;
        this.stack = stack;
        this.receiver = receiver;
    }

    Peer open(String name) throws Exception {
        return switch (name) {
            case "raw" -> raw();
            case "naive" -> naive();
            case "connect" -> connect();
            case "source" -> source();
            case "fanout" -> fanOut();
            default -> throw new IllegalArgumentException(
                    "unknown path " + name + "; BENCH_PATHS is a list of raw, naive, connect, source, fanout");
        };
    }

    private Peer raw() {
        long self = ProcessHandle.current().pid();
        return new Peer(
                "raw",
                "HTTP ceiling: reactor-netty client posting straight to the receiver, "
                        + settings.httpConcurrency() + " requests in flight",
                "client (= producer)",
                "/raw",
                1,
                1,
                List.of(),
                new Load.Http(receiver.url("/raw"), Events.ORDER_TYPE, null, settings.httpConcurrency()),
                () -> List.of(self),
                () -> {});
    }

    private Peer naive() throws Exception {
        String group = "bench-naive";
        Process listener = processes.start(
                "naive",
                List.of(
                        settings.java(),
                        "-Xmx1g",
                        "-cp",
                        settings.appClassPath(),
                        NaiveListener.class.getName(),
                        "--spring.kafka.bootstrap-servers=" + Stack.BOOTSTRAP,
                        "--spring.kafka.consumer.auto-offset-reset=earliest",
                        "--spring.main.web-application-type=none",
                        "--spring.main.banner-mode=off",
                        "--bench.topic=" + Stack.NAIVE_TOPIC,
                        "--bench.group=" + group,
                        "--bench.concurrency=" + settings.partitions(),
                        "--bench.url=" + receiver.url("/naive")),
                Map.of());
        stack.awaitAssignment(group, Stack.NAIVE_TOPIC, listener, Duration.ofSeconds(90));
        return new Peer(
                "naive",
                "spring-kafka @KafkaListener, concurrency " + settings.partitions()
                        + ", one blocking POST per record, commit per batch",
                "listener JVM + standalone JVM (broker; Campanello idle)",
                "/naive",
                1,
                1,
                List.of(Stack.NAIVE_TOPIC),
                new Load.Kafka(Stack.BOOTSTRAP, Stack.NAIVE_TOPIC),
                () -> List.of(listener.pid(), stack.standalonePid),
                () -> processes.stop(listener));
    }

    private Peer connect() throws Exception {
        Path dir = stack.work().resolve("connect");
        Files.createDirectories(dir);
        Path worker = dir.resolve("worker.properties");
        Path connector = dir.resolve("connector.properties");
        Stack.write(worker, String.join("\n", List.of(
                "bootstrap.servers=" + Stack.BOOTSTRAP,
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.storage.StringConverter",
                "offset.storage.file.filename=" + dir.resolve("offsets"),
                "plugin.path=" + settings.pluginPath(),
                "plugin.discovery=service_load",
                "listeners=http://127.0.0.1:" + Integer.getInteger("bench.connectPort", 18083),
                "")));
        int pool = settings.connectPoolSize();
        Stack.write(connector, String.join("\n", List.of(
                "name=" + CONNECTOR,
                "connector.class=io.github.clescot.kafka.connect.http.sink.HttpSinkConnector",
                "tasks.max=" + settings.partitions(),
                "topics=" + Stack.CONNECT_TOPIC,
                "publish.mode=NONE",
                "http.request.mapper.default.mode=JEXL",
                "http.request.mapper.default.url='" + receiver.url("/connect") + "'",
                "http.request.mapper.default.method='POST'",
                "http.request.mapper.default.body=sinkRecord.value()",
                "httpclient.async.fixed.thread.pool.size=" + pool,
                "config.default.okhttp.dispatcher.max.requests=" + pool,
                "config.default.okhttp.dispatcher.max.requests.per.host=" + pool,
                "config.default.okhttp.connection.pool.max.idle.connections=" + pool,
                "config.default.okhttp.connection.pool.keep.alive.duration=60000",
                "config.default.okhttp.interceptor.logging.activate=false",
                // read from retry.policy.*, not the documented config.default.retry.policy.* (STACK-NOTES)
                "retry.policy.retries=3",
                "retry.policy.retry.delay.in.ms=100",
                "retry.policy.retry.max.delay.in.ms=1000",
                "retry.policy.retry.delay.factor=2",
                "retry.policy.retry.jitter.in.ms=10",
                "")));
        List<String> command = new ArrayList<>(List.of(
                settings.java(),
                "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                settings.workerClassPath(),
                "org.apache.kafka.connect.cli.ConnectStandalone",
                worker.toString(),
                connector.toString()));
        Process connect = processes.start("connect", command, Map.of());
        stack.awaitAssignment("connect-" + CONNECTOR, Stack.CONNECT_TOPIC, connect, Duration.ofSeconds(120));
        return new Peer(
                "connect",
                "Kafka Connect standalone, clescot HTTP sink 0.8.84, tasks.max " + settings.partitions()
                        + ", async pool " + pool,
                "Connect JVM + standalone JVM (broker; Campanello idle)",
                "/connect",
                1,
                1,
                List.of(Stack.CONNECT_TOPIC),
                new Load.Kafka(Stack.BOOTSTRAP, Stack.CONNECT_TOPIC),
                () -> List.of(connect.pid(), stack.standalonePid),
                () -> processes.stop(connect));
    }

    /**
     * {@code bench.sourceFanOut} subscriptions on the type (each record to all of them), or with
     * {@code bench.sourceEndpoints} n the records split over n types and n subscriptions, one on each (each record to
     * one of them): one busy endpoint beside many small ones, the same deliveries in total.
     */
    private Peer source() {
        int fanOut = Integer.getInteger("bench.sourceFanOut", 1);
        int split = Integer.getInteger("bench.sourceEndpoints", 1);
        if (fanOut > 1 && split > 1) {
            throw new IllegalArgumentException("BENCH_SOURCE_FANOUT and BENCH_SOURCE_ENDPOINTS do not go together");
        }
        int endpoints = Math.max(fanOut, split);
        for (int i = 0; i < endpoints; i++) {
            String type = split > 1 ? Events.ORDER_TYPE + "." + i : Events.ORDER_TYPE;
            stack.subscribe(type, receiver.url("/source/" + i));
        }
        return new Peer(
                "source",
                "Campanello standalone, source topic " + Stack.SOURCE_TOPIC + ", " + endpoints + " subscription(s)"
                        + (split > 1 ? ", each on one of " + split + " types (each record to one of them)" : ""),
                "standalone JVM (broker + Campanello)",
                "/source/",
                endpoints,
                fanOut,
                List.of(Stack.SOURCE_TOPIC, Stack.EVENTS_TOPIC, Stack.DELIVERIES_TOPIC),
                new Load.Kafka(Stack.BOOTSTRAP, Stack.SOURCE_TOPIC, split),
                () -> List.of(stack.standalonePid),
                () -> {});
    }

    private Peer fanOut() {
        for (int i = 0; i < settings.fanOut(); i++) {
            stack.subscribe(Events.FAN_OUT_TYPE, receiver.url("/fan/" + i));
        }
        return new Peer(
                "fanout",
                "Campanello standalone, POST /v1/events, " + settings.fanOut() + " subscriptions on the type, "
                        + settings.httpConcurrency() + " posts in flight",
                "standalone JVM (broker + Campanello)",
                "/fan/",
                settings.fanOut(),
                settings.fanOut(),
                List.of(Stack.EVENTS_TOPIC, Stack.DELIVERIES_TOPIC),
                new Load.Http(
                        "http://127.0.0.1:8081/v1/events",
                        Events.FAN_OUT_TYPE,
                        Stack.API_KEY,
                        settings.httpConcurrency()),
                () -> List.of(stack.standalonePid),
                () -> {});
    }
}
