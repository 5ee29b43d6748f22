package io.campanello.standalone;

import io.campanello.cluster.Service;
import io.campanello.cluster.ServiceProcess;
import io.campanello.cluster.ServiceProcesses;
import java.nio.file.Path;

/**
 * Dispatchers as their own processes (the executable jar a deployment runs) against a standalone started without its
 * dispatcher, through the cluster harness: started on a free port, waited for until ready, and all killed by
 * {@link #stopAll()}.
 */
final class DispatcherProcesses {

    private final ServiceProcesses processes;

    DispatcherProcesses(StandaloneSettings settings, Path dataDir) {
        this.processes = new ServiceProcesses(
                "127.0.0.1:" + settings.kafkaPort(), 1, SecretsKeyFile.readOrCreate(dataDir), TestStandalones.API_KEY);
    }

    /** Starts a dispatcher with the settings every test needs, plus {@code arguments}; returns once it is ready. */
    ServiceProcess start(String name, String... arguments) {
        return processes.start(Service.DISPATCHER, name, arguments);
    }

    /** Kills every dispatcher this started that is still running. */
    void stopAll() {
        processes.close();
    }
}
