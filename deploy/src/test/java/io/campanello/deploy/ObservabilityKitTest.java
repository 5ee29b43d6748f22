package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboard and the Prometheus configuration shipped in deploy/observability. */
class ObservabilityKitTest {

    private static final Path KIT = Path.of("observability");

    @Test
    void dashboardCoversWhatAnOperatorWatches() throws IOException {
        Map<String, Object> dashboard = dashboard();
        List<Object> panels = Yaml.list(dashboard, "panels");
        List<String> titles =
                panels.stream().map(panel -> (String) Yaml.at(panel, "title")).toList();

        assertThat(dashboard).containsEntry("uid", "campanello");
        assertThat(titles)
                .contains(
                        "Events in",
                        "Deliveries by outcome",
                        "End-to-end latency",
                        "Retry tier depth",
                        "Dead letters",
                        "Circuit states");
    }

    @Test
    void everyGraphQueriesPrometheusThroughTheDatasourceVariable() throws IOException {
        for (Object panel : Yaml.list(dashboard(), "panels")) {
            if ("row".equals(Yaml.at(panel, "type"))) {
                continue;
            }
            assertThat(Yaml.at(panel, "datasource", "uid")).isEqualTo("${datasource}");
            List<Object> targets = Yaml.list(panel, "targets");
            assertThat(targets).as((String) Yaml.at(panel, "title")).isNotEmpty();
            for (Object target : targets) {
                String expr = (String) Yaml.at(target, "expr");
                assertThat(expr).contains("job=~\"$job\"");
                assertThat(parenthesesBalance(expr)).as(expr).isZero();
            }
        }
    }

    @Test
    void prometheusScrapesEveryServiceOnItsActuatorEndpoint() throws IOException {
        Map<String, Object> config = Yaml.map(new org.snakeyaml.engine.v2.api.Load(
                        org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(Files.readString(KIT.resolve("prometheus/prometheus.yml"))));
        Object job = Yaml.at(config, "scrape_configs", 0);
        assertThat(Yaml.at(job, "metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(Yaml.list(job, "static_configs"))
                .extracting(target -> Yaml.at(target, "targets", 0))
                .containsExactly("ingest:8081", "subscription:8082", "dispatcher:8083", "retry:8084");
    }

    private static Map<String, Object> dashboard() throws IOException {
        return Yaml.map(JsonMapper.builder()
                .build()
                .readValue(Files.readString(KIT.resolve("grafana/dashboards/campanello.json")), Map.class));
    }

    private static int parenthesesBalance(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            }
        }
        return depth;
    }
}
