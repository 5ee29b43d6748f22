package io.campanello.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Standalones for tests on ports free on this machine, so a developer's running standalone is not in the way. A port
 * found free can be taken by someone else before the standalone binds it: a start that fails to bind is made again on
 * other ports, and the test reads the ports it got from {@link Started#settings()}.
 */
final class TestStandalones {

    static final String API_KEY = "cmp_test_key";

    /**
     * For tests of the retry schedule and replays rather than of circuits: with a schedule of a few seconds, an open
     * circuit (30 s) would use up the attempts without calling the endpoint, which is right but not what they test.
     */
    static final String NO_CIRCUIT = "--campanello.dispatcher.circuit.failures=1000";

    /** Starts made on fresh ports after a bind failure before giving up. */
    private static final int STARTS = 5;

    /*
     * Below Linux's ephemeral range (32768–60999), which the kernel hands out as the local port of every outgoing
     * connection: a port chosen there is much less likely to be taken before the standalone binds it.
     */
    private static final int LOWEST_PORT = 20_000;
    private static final int HIGHEST_PORT = 32_000;

    /** A standalone started for a test, with the settings (ports) it was started on. */
    record Started(Standalone standalone, StandaloneSettings settings) implements AutoCloseable {

        @Override
        public void close() {
            standalone.close();
        }
    }

    private TestStandalones() {}

    static StandaloneSettings settings(Path dataDir, List<String> extraArguments) {
        return new StandaloneSettings(
                dataDir,
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                API_KEY,
                false,
                extraArguments,
                true);
    }

    /** Starts a standalone with a fresh data directory's worth of free ports. */
    static Started start(Path dataDir, List<String> extraArguments) throws Exception {
        return start(settings(dataDir, extraArguments));
    }

    /**
     * Starts a standalone on these settings' ports (again on the same data, for a restart); if a port is taken by
     * then, on other free ports, keeping the data directory, the arguments and whether the dispatcher runs.
     */
    static Started start(StandaloneSettings settings) throws Exception {
        StandaloneSettings attempt = settings;
        for (int start = 1; ; start++) {
            try {
                return new Started(Standalone.start(attempt), attempt);
            } catch (Exception e) {
                if (!isBindFailure(e) || start == STARTS) {
                    throw e;
                }
                StandaloneSettings fresh = settings(attempt.dataDir(), attempt.extraArguments());
                attempt = attempt.dispatcher() ? fresh : fresh.withoutDispatcher();
            }
        }
    }

    /** Whether the start failed because a port was in use: Kafka's socket server, a service's server or Netty's. */
    static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getSimpleName();
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof BindException
                    || name.equals("PortInUseException")
                    || name.equals("ChannelBindException")
                    || message.contains("Address already in use")) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }

    private static int freePort() {
        for (int tries = 0; tries < 100; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (BindException taken) {
                // taken: try another
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST_PORT + " and " + HIGHEST_PORT);
    }
}
