package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port found free but taken before the standalone binds it costs a test a second start, not a failure. */
class TestStandalonesIT {

    @TempDir
    Path dataDir;

    @Test
    void aStartWhosePortWasTakenMeanwhileIsMadeAgainOnOtherPorts() throws Exception {
        StandaloneSettings chosen = TestStandalones.settings(dataDir, List.of());
        try (ServerSocket taker = new ServerSocket(chosen.ingestPort())) {
            try (TestStandalones.Started started = TestStandalones.start(chosen)) {
                int ingestPort = started.settings().ingestPort();
                assertThat(ingestPort).isNotEqualTo(taker.getLocalPort());
                Api.Response accepted = new Api(TestStandalones.API_KEY)
                        .post("http://localhost:" + ingestPort + "/v1/events", "{\"type\": \"port.check\"}");
                assertThat(accepted.status()).isEqualTo(202);
            }
        }
    }
}
