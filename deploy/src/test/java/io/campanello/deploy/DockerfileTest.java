package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The service image recipe: base, user, health, and the ports the chart expects. */
class DockerfileTest {

    private static final Path DOCKER = Path.of("docker");

    @Test
    void buildsFromAJre25AndRunsAsTheChartsNonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));

        assertThat(lines).contains("ARG JRE_IMAGE=eclipse-temurin:25-jre", "USER 10001:10001");
        assertThat(lines).filteredOn(line -> line.startsWith("FROM ")).hasSize(2);
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).startsWith("HEALTHCHECK "))
                .anySatisfy(line -> assertThat(line).contains("/actuator/health/readiness"))
                .anySatisfy(line -> assertThat(line).contains("-XX:MaxRAMPercentage=75"))
                .anySatisfy(line -> assertThat(line).isEqualTo("VOLUME [\"/tmp\"]"));
        Object chartUser = Yaml.at(values(), "defaults", "podSecurityContext", "runAsUser");
        assertThat(chartUser).isEqualTo(10001);
    }

    @Test
    void buildScriptUsesTheChartsImageNamesAndPorts() throws IOException {
        String script = Files.readString(DOCKER.resolve("build-images.sh"));
        Map<String, Object> services = Yaml.map(values(), "services");

        services.forEach((name, service) -> assertThat(script)
                .as(name)
                .contains("[" + Yaml.at(service, "image") + "]=" + Yaml.at(service, "port")));
        assertThat(script)
                .contains("ghcr.io/campanello")
                .contains(String.valueOf(Yaml.at(values(), "image", "registry")));
    }

    private static Map<String, Object> values() throws IOException {
        return Yaml.map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(HelmChart.DIRECTORY.resolve("values.yaml"))));
    }
}
