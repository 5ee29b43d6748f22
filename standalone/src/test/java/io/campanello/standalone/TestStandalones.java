package io.campanello.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/** Standalone settings for tests: free ports on this machine, so a developer's running standalone is not in the way. */
final class TestStandalones {

    static final String API_KEY = "cmp_test_key";

    /**
     * For tests of the retry schedule and replays rather than of circuits: with a schedule of a few seconds, an open
     * circuit (30 s) would use up the attempts without calling the endpoint, which is right but not what they test.
     */
    static final String NO_CIRCUIT = "--campanello.dispatcher.circuit.failures=1000";

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
                API_KEY,
                false,
                extraArguments,
                true);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
