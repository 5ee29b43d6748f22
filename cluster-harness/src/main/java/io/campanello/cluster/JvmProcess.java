package io.campanello.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own, started from a command line, its output in a log file; ready when the log shows a line. It can
 * be killed (SIGKILL, as {@code kill -9}), terminated (SIGTERM, as Kubernetes stops a pod) and started again with
 * the same command.
 */
public final class JvmProcess {

    /**
     * How long a started service may take to become ready. A rolling restart starts four services at once beside three
     * brokers and the others on two cores: on a slow machine each took 100–112 s of Spring start-up alone.
     */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    /** Every JVM started here: killed when the test JVM exits, even when a test did not clean up. */
    private static final java.util.Set<JvmProcess> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(JvmProcess::destroy)));
    }

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final List<String> command;
    private final String readyLine;
    private final Path logDir;
    private volatile Process process;
    private volatile Path log;

    JvmProcess(String name, List<String> command, String readyLine, Path logDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.readyLine = readyLine;
        this.logDir = logDir;
        ALL.add(this);
    }

    /** The java launcher of the JVM running the tests, and the options every started JVM gets. */
    static List<String> java(String maxHeap) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-Xmx" + maxHeap);
        // Two shared cores: C1 only and the serial collector start faster and leave CPU to the others.
        java.add("-XX:TieredStopAtLevel=1");
        java.add("-XX:+UseSerialGC");
        return java;
    }

    /** Starts the JVM without waiting for it to be ready. */
    synchronized JvmProcess launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        try {
            Files.createDirectories(logDir);
            log = logDir.resolve(System.currentTimeMillis() + "-" + name + ".log");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** Waits until the log shows the ready line; fails at once when the JVM exits first. */
    public JvmProcess awaitReady() {
        Process current = process;
        Path currentLog = log;
        await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!current.isAlive()) {
                throw new IllegalStateException(name + " exited with " + current.exitValue() + ", see " + currentLog);
            }
            return Files.readString(currentLog).contains(readyLine);
        });
        return this;
    }

    /** {@code kill -9}: the JVM ends at once, nothing is closed or handed over; waits until it is gone. */
    public void kill() {
        Process current = process;
        current.destroyForcibly();
        awaitExit(current);
    }

    /**
     * SIGTERM: the JVM shuts down as it would in a pod being stopped; waits until it is gone. One that has not exited
     * within a minute is killed, and this fails: a graceful shutdown that hangs is a defect.
     */
    public void terminate() {
        Process current = process;
        current.destroy();
        if (!awaitExit(current)) {
            throw new IllegalStateException(name + " did not stop within " + EXIT_TIMEOUT + " of SIGTERM, see " + log);
        }
    }

    /** Starts it again with the same command (same ports, same data) and waits until it is ready. */
    public JvmProcess restart() {
        if (isAlive()) {
            terminate();
        }
        return launch().awaitReady();
    }

    /** The exit status of its latest run, once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public String name() {
        return name;
    }

    /** The log of its latest start. */
    public Path log() {
        return log;
    }

    /** Waits for the JVM to exit; kills it if it does not within the timeout; whether it exited by itself. */
    private boolean awaitExit(Process current) {
        try {
            if (!current.waitFor(EXIT_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                current.destroyForcibly();
                current.waitFor();
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** Kills it if it runs; for clean-up after a test. */
    void destroy() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            awaitExit(current);
        }
    }
}
