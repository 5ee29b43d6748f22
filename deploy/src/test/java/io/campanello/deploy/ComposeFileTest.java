package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml keeps the rules a Docker user relies on, and stays in step with the chart. (CI also parses it
 * with docker-compose itself; this test needs no Docker.)
 */
class ComposeFileTest {

    private static final Path FILE = Path.of("..", "docker-compose.yml");
    private static final List<String> SERVICES = List.of("ingest", "subscription", "dispatcher", "retry");

    private static Map<String, Object> compose;
    private static String text;

    @BeforeAll
    static void load() throws IOException {
        text = Files.readString(FILE);
        compose = Yaml.map(new Load(LoadSettings.builder().build()).loadFromString(text));
    }

    @Test
    void usesOnlyTopLevelKeysThatDebiansDockerComposeAccepts() {
        assertThat(compose.keySet()).allSatisfy(key -> assertThat(key).matches("services|volumes|networks|x-.*"));
    }

    @Test
    void startsEveryServiceHardenedAfterKafkaAndItsTopics() {
        for (String name : SERVICES) {
            Map<String, Object> service = service(name);
            assertThat(service)
                    .as(name)
                    .containsEntry("read_only", true)
                    .containsEntry("user", "10001:10001")
                    .containsEntry("cap_drop", List.of("ALL"))
                    .containsKey("healthcheck");
            assertThat(Yaml.map(service, "depends_on"))
                    .containsEntry("kafka", Map.of("condition", "service_healthy"))
                    .containsEntry("kafka-topics", Map.of("condition", "service_completed_successfully"))
                    .containsEntry("campanello-keys", Map.of("condition", "service_completed_successfully"));
            assertThat(Yaml.map(service, "environment"))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("CAMPANELLO_KAFKA_CREATE_TOPICS", "false")
                    .containsEntry("CAMPANELLO_URLPOLICY_ALLOWLIST", "inspector");
        }
    }

    @Test
    void publishesEveryPortOnLoopbackOnly() {
        Map<String, Object> services = Yaml.map(compose, "services");
        for (String name : services.keySet()) {
            List<Object> ports = Yaml.list(service(name), "ports");
            if (ports != null) {
                assertThat(ports)
                        .as(name)
                        .allSatisfy(port -> assertThat((String) port).startsWith("127.0.0.1:"));
            }
        }
    }

    @Test
    void shipsNoSecretsKeyButGeneratesOneIntoAVolume() {
        assertThat(text).doesNotContainPattern("CAMPANELLO_SECRETS_KEY: \\$\\{CAMPANELLO_SECRETS_KEY:-[^}]");
        Map<String, Object> keys = service("campanello-keys");
        assertThat(Yaml.list(keys, "volumes")).containsExactly("campanello-keys:/keys");
        assertThat((String) Yaml.at(keys, "command", 0))
                .contains("/dev/urandom", "campanello.secrets.key", "chown 10001:10001");
        for (String name : SERVICES) {
            assertThat(Yaml.list(service(name), "volumes")).containsExactly("campanello-keys:/run/campanello-keys:ro");
            assertThat(Yaml.map(service(name), "environment"))
                    .doesNotContainKey("CAMPANELLO_SECRETS_KEY")
                    .containsEntry("SPRING_CONFIG_IMPORT", "configtree:/run/campanello-keys/")
                    .containsKey("CAMPANELLO_ADMIN_API_KEY");
        }
    }

    @Test
    void sharesServiceSettingsThroughOneAnchor() {
        for (String name : SERVICES) {
            Map<String, Object> raw = Yaml.map(compose, "services", name);
            assertThat(raw).as(name).containsKey("<<").doesNotContainKeys("depends_on", "healthcheck", "read_only");
            assertThat(Yaml.map(raw, "environment")).containsKey("<<").hasSize(2);
        }
    }

    @Test
    void waitsOnlyForServicesThatHaveAHealthcheck() {
        Map<String, Object> services = Yaml.map(compose, "services");
        for (String name : services.keySet()) {
            Map<String, Object> dependsOn = Yaml.map(service(name), "depends_on");
            if (dependsOn == null) {
                continue;
            }
            dependsOn.forEach((dependency, condition) -> {
                if ("service_healthy".equals(Yaml.at(condition, "condition"))) {
                    assertThat(service(dependency))
                            .as(name + " -> " + dependency)
                            .containsKey("healthcheck");
                }
            });
        }
    }

    @Test
    void publishesTheServicesOnTheChartsPorts() throws IOException {
        Map<String, Object> values = Yaml.map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(HelmChart.DIRECTORY.resolve("values.yaml"))));
        for (String name : SERVICES) {
            Object port = Yaml.at(values, "services", name, "port");
            assertThat(Yaml.list(service(name), "ports")).containsExactly("127.0.0.1:" + port + ":" + port);
            assertThat(Yaml.at(service(name), "environment", "SERVER_PORT")).isEqualTo(String.valueOf(port));
            assertThat(Yaml.at(service(name), "build", "args", "PORT")).isEqualTo(String.valueOf(port));
        }
    }

    @Test
    void createsTheSameTopicsAsTheChart() {
        Matcher compose = Pattern.compile("(webhooks\\.[a-z0-9.-]+):").matcher(text);
        List<String> composeTopics = compose.results().map(m -> m.group(1)).toList();
        String script = (String) Yaml.at(
                HelmChart.render(Map.of()).get("Job", "campanello-topics"),
                "spec",
                "template",
                "spec",
                "containers",
                0,
                "args",
                0);
        List<String> chartTopics = Pattern.compile("ensure '([^']+)'")
                .matcher(script)
                .results()
                .map(m -> m.group(1))
                .toList();

        assertThat(composeTopics).containsExactlyInAnyOrderElementsOf(chartTopics);
    }

    @Test
    void keepsPrometheusAndGrafanaInTheObservabilityProfile() {
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(Yaml.list(service(name), "profiles")).containsExactly("observability");
            for (Object volume : Yaml.list(service(name), "volumes")) {
                Path mounted = Path.of("..").resolve(((String) volume).split(":")[0]);
                assertThat(mounted).exists();
            }
        }
    }

    /** A service with YAML merge keys ({@code <<: *anchor}) applied, as Compose sees it. */
    private static Map<String, Object> service(String name) {
        return merged(Yaml.map(compose, "services", name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Map<String, Object> node) {
        if (node == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Object base = node.get("<<");
        if (base instanceof Map<?, ?> anchor) {
            result.putAll(merged((Map<String, Object>) anchor));
        }
        node.forEach((key, value) -> {
            if (!"<<".equals(key)) {
                result.put(key, value instanceof Map<?, ?> map ? merged((Map<String, Object>) map) : value);
            }
        });
        return result;
    }
}
