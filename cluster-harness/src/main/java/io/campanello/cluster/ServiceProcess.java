package io.campanello.cluster;

/** One started service JVM: where it answers, and how to kill, terminate or restart it. */
public record ServiceProcess(Service service, int port, JvmProcess jvm) {

    /** Its HTTP base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String name() {
        return jvm.name();
    }

    /** {@code kill -9}. */
    public void kill() {
        jvm.kill();
    }

    /** SIGTERM: a graceful shutdown, as a pod is stopped. */
    public void terminate() {
        jvm.terminate();
    }

    /** Starts it again on the same port with the same arguments; returns once it is ready. */
    public ServiceProcess restart() {
        jvm.restart();
        return this;
    }

    public ServiceProcess awaitReady() {
        jvm.awaitReady();
        return this;
    }

    /** The exit status of its latest run, once it has exited. */
    public int exitValue() {
        return jvm.exitValue();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }
}
