package io.campanello.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The JVMs the benchmark starts (each logging to its own file), their CPU time, and stopping them all. */
final class Processes {

    /** Clock ticks per second of /proc's utime and stime ({@code getconf CLK_TCK}). */
    private static final long TICKS = Long.getLong("bench.clkTck", 100);

    private final Path logs;
    private final List<Process> started = new ArrayList<>();

    Processes(Path logs) {
        this.logs = logs;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "bench-stop"));
    }

    /** Starts a command with extra environment; its output goes to {@code <logs>/<name>.log}. */
    synchronized Process start(String name, List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log(name).toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    /** Waits until the process's log has a line containing {@code text}; returns that line. */
    String awaitLine(String name, Process process, String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (String line : Files.readAllLines(log(name))) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            } catch (IOException | UncheckedIOException notYet) {
                // the file is being written
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log(name));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException(name + " did not print '" + text + "' within " + limit + "; see " + log(name));
    }

    /** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
    static double cpuSeconds(long pid) {
        return cpuSeconds(Path.of("/proc/" + pid + "/stat"));
    }

    /** User + system seconds of a process or thread from its {@code stat} file. */
    static double cpuSeconds(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time in " + stat, e);
        }
    }

    /** Context switches of the whole machine so far (/proc/stat's {@code ctxt}): every process's hand-offs. */
    static long contextSwitches() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("ctxt ")) {
                    return Long.parseLong(line.substring(5).strip());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    static double cpuSeconds(List<Long> pids) {
        return pids.stream().mapToDouble(Processes::cpuSeconds).sum();
    }

    /** Stops one process: SIGTERM, then SIGKILL after 20 s. */
    void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            if (started.get(i).isAlive()) {
                stop(started.get(i));
            }
        }
    }
}
