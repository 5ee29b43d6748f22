package io.campanello.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own for a test, from the machine's PostgreSQL binaries (Debian's {@code postgresql}
 * package: {@code /usr/lib/postgresql/<version>/bin}, or {@code PG_BIN}): {@code initdb} in a temporary folder,
 * started with {@code pg_ctl} on a free port with logical decoding on, and driven with {@code psql}, as an ERP's
 * database would be. PostgreSQL refuses to run as root: as root, it runs as the {@code postgres} user the package
 * creates.
 */
final class PostgresCluster implements AutoCloseable {

    static final String USER = "erp";
    static final String DATABASE = "erp";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The folder of {@code initdb}, {@code pg_ctl} and {@code psql}, if PostgreSQL is installed here. */
    static Optional<Path> binaries() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "initdb"))) {
            return Optional.of(Path.of(configured));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.comparing(candidate -> Integer.parseInt(
                            candidate.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a cluster in {@code dir} with database {@link #DATABASE} owned by {@link #USER} and starts it. */
    static PostgresCluster start(Path bin, Path dir) throws IOException, InterruptedException {
        boolean asPostgres = "root".equals(System.getProperty("user.name"));
        if (asPostgres) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        PostgresCluster cluster = new PostgresCluster(bin, dir, freePort(), asPostgres);
        cluster.run(
                List.of("initdb", "-D", cluster.data(), "-U", USER, "--auth=trust", "--encoding=UTF8", "--no-sync"));
        cluster.run(List.of(
                "pg_ctl",
                "-D",
                cluster.data(),
                "-l",
                dir.resolve("postgres.log").toString(),
                "-w",
                "-o",
                String.join(
                        " ",
                        "-p " + cluster.port,
                        "-k " + dir,
                        "-c listen_addresses=127.0.0.1",
                        "-c wal_level=logical",
                        "-c max_replication_slots=4",
                        "-c max_wal_senders=4",
                        "-c fsync=off"),
                "start"));
        cluster.sql("postgres", "CREATE DATABASE " + DATABASE);
        return cluster;
    }

    int port() {
        return port;
    }

    /** Runs SQL in the database with {@code psql}, stopping at the first error; returns what it printed. */
    String sql(String sql) throws IOException, InterruptedException {
        return sql(DATABASE, sql);
    }

    private String sql(String database, String sql) throws IOException, InterruptedException {
        return run(List.of(
                "psql",
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                USER,
                "-d",
                database,
                "-c",
                sql));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop"));
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asPostgres) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.add(bin.resolve(command.get(0)).toString());
        line.addAll(command.subList(1, command.size()));
        Process process = new ProcessBuilder(line)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8).strip();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
