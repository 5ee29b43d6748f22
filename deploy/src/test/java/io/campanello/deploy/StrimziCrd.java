package io.campanello.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Strimzi's KafkaTopic CRD as Strimzi publishes it, made from the {@code io.strimzi} artifacts on Maven Central that
 * the build copies to {@code target/strimzi-crd-generator} (see the deploy pom): Strimzi's own CRD generator run on
 * its API model with the arguments of Strimzi's build ({@code api/pom.xml}, {@code generate-crd-co-install-v1}), which
 * is how its {@code 043-Crd-kafkatopic.yaml} is made. Strimzi 1.x is Java 21 bytecode, so the generator runs in a
 * JDK 21 or later: this one, {@code CRD_GENERATOR_JAVA_HOME}, or the newest found under the usual JDK folders.
 */
final class StrimziCrd {

    static final Path JARS = Path.of("target", "strimzi-crd-generator");
    static final Path KAFKA_TOPIC = Path.of("target", "crds", "strimzi-kafkatopics.yaml");

    private static final int MINIMUM_JAVA = 21;
    private static final List<Path> JDK_FOLDERS = List.of(
            Path.of("/usr/lib/jvm"),
            Path.of("/usr/java"),
            Path.of("/opt/java"),
            Path.of("/Library/Java/JavaVirtualMachines"),
            Path.of(System.getProperty("user.home"), ".sdkman", "candidates", "java"));
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private StrimziCrd() {}

    /** The KafkaTopic CRD file, generated on first use after a clean build or a change of Strimzi release. */
    static synchronized Path kafkaTopic() {
        if (!Files.isRegularFile(KAFKA_TOPIC) || modified(KAFKA_TOPIC) < modified(JARS.resolve("api.jar"))) {
            generate();
        }
        return KAFKA_TOPIC;
    }

    /** "Strimzi" and the release of the API model the CRD is made from, as its jar's manifest says. */
    static String release() {
        try (JarFile api = new JarFile(JARS.resolve("api.jar").toFile())) {
            return "Strimzi " + api.getManifest().getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void generate() {
        List<String> jars = Stream.of("api.jar", "crd-annotations.jar", "crd-generator.jar")
                .map(JARS::resolve)
                .map(Path::toString)
                .toList();
        jars.stream()
                .map(Path::of)
                .filter(jar -> !Files.isRegularFile(jar))
                .findFirst()
                .ifPresent(missing -> {
                    throw new IllegalStateException(missing + " is missing: run the tests through Maven "
                            + "(generate-test-resources copies Strimzi's artifacts there)");
                });
        Path launcher = javaHome()
                .map(home -> home.resolve("bin").resolve("java"))
                .orElseThrow(() -> new IllegalStateException("Strimzi's CRD generator needs Java " + MINIMUM_JAVA
                        + " or later, and none was found: set CRD_GENERATOR_JAVA_HOME to one"));
        Path partial = KAFKA_TOPIC.resolveSibling(KAFKA_TOPIC.getFileName() + ".part");
        List<String> command = new ArrayList<>(List.of(
                launcher.toString(),
                "-cp",
                String.join(File.pathSeparator, jars),
                "io.strimzi.crdgenerator.CrdGenerator",
                "--label",
                "app:strimzi",
                "--label",
                "strimzi.io/crd-install:true",
                "--target-kube",
                "1.16+",
                "--crd-api-version",
                "v1",
                "--api-versions",
                "v1",
                "--storage-version",
                "v1",
                "--yaml",
                "io.strimzi.api.kafka.model.topic.KafkaTopic=" + partial));
        try {
            Files.createDirectories(KAFKA_TOPIC.getParent());
            Path log = KAFKA_TOPIC.resolveSibling("strimzi-crd-generator.log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "Strimzi's CRD generator did not finish in 2 minutes (see " + log + ")");
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IllegalStateException("Strimzi's CRD generator failed with exit code " + process.exitValue()
                        + ": " + Files.readString(log).strip());
            }
            Files.move(partial, KAFKA_TOPIC, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JDK of at least {@link #MINIMUM_JAVA}: this one, the one named by the environment, or the newest found. */
    private static Optional<Path> javaHome() {
        if (Runtime.version().feature() >= MINIMUM_JAVA) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        String named = System.getenv("CRD_GENERATOR_JAVA_HOME");
        if (named != null && !named.isBlank()) {
            Path home = Path.of(named);
            if (!Files.isExecutable(home.resolve("bin").resolve("java")) || featureVersion(home) < MINIMUM_JAVA) {
                throw new IllegalStateException(
                        "CRD_GENERATOR_JAVA_HOME=" + named + " is not a JDK " + MINIMUM_JAVA + " or later");
            }
            return Optional.of(home);
        }
        return JDK_FOLDERS.stream()
                .filter(Files::isDirectory)
                .flatMap(StrimziCrd::children)
                .flatMap(home -> Stream.of(home, home.resolve("Contents").resolve("Home")))
                .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                .filter(home -> featureVersion(home) >= MINIMUM_JAVA)
                .max(Comparator.comparingInt(StrimziCrd::featureVersion));
    }

    private static long modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> children(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static int featureVersion(Path home) {
        try {
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
