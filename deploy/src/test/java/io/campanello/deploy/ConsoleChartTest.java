package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator console in the chart: its own Deployment and Service, pointed at the services, and nothing more. */
class ConsoleChartTest {

    private final Manifests manifests = HelmChart.render(Map.of());

    @Test
    void runsTheConsoleAsItsOwnServiceProbedOnItsHealthGroups() {
        Map<String, Object> deployment = manifests.get("Deployment", "campanello-console");
        Object container = Yaml.at(deployment, "spec", "template", "spec", "containers", 0);
        assertThat(Yaml.at(container, "image")).isEqualTo("ghcr.io/campanello/console:0.1.0");
        assertThat(Yaml.at(container, "ports", 0, "containerPort")).isEqualTo(8080);
        assertThat(Yaml.at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(Yaml.at(manifests.get("Service", "campanello-console"), "spec", "ports", 0, "port"))
                .isEqualTo(8080);
    }

    @Test
    void forwardsToTheServicesByTheirServiceNamesAndLeavesOutTheOnesNotInstalled() {
        Map<String, Object> env = DefaultValuesTest.env(manifests.get("Deployment", "campanello-console"));

        assertThat(env)
                .containsEntry("CAMPANELLO_CONSOLE_SERVICES_SUBSCRIPTIONS", "http://campanello-subscription:8082")
                .containsEntry("CAMPANELLO_CONSOLE_SERVICES_INGEST", "http://campanello-ingest:8081")
                .containsEntry("CAMPANELLO_CONSOLE_SERVICES_RETRY", "http://campanello-retry:8084")
                .containsEntry("CAMPANELLO_CONSOLE_SERVICES_HISTORY", "http://campanello-history:8085");
        Map<String, Object> withoutRetry = DefaultValuesTest.env(
                HelmChart.render(Map.of("services.retry.enabled", false)).get("Deployment", "campanello-console"));
        assertThat(withoutRetry).doesNotContainKey("CAMPANELLO_CONSOLE_SERVICES_RETRY");
        Map<String, Object> withoutHistory = DefaultValuesTest.env(
                HelmChart.render(Map.of("services.history.enabled", false)).get("Deployment", "campanello-console"));
        assertThat(withoutHistory)
                .as("without the history service its pages say so")
                .doesNotContainKey("CAMPANELLO_CONSOLE_SERVICES_HISTORY");
    }

    @Test
    void anIngressThroughTheConsoleReachesEveryPathOfTheApiAndEventsGoStraightToIngest() {
        Manifests throughConsole =
                HelmChart.render(HelmChart.DIRECTORY.resolve("ci").resolve("console-entry-values.yaml"), Map.of());

        assertThat(Yaml.list(throughConsole.get("Ingress", "campanello"), "spec", "rules", 0, "http", "paths"))
                .extracting(path -> Yaml.at(path, "path") + " (" + Yaml.at(path, "pathType") + ") -> "
                        + Yaml.at(path, "backend", "service", "name"))
                .as("the console forwards what no service claims: /v1/subscriptions/{id}/stats, /v1/events/{id}/…")
                .containsExactlyInAnyOrder(
                        "/ (Prefix) -> campanello-console",
                        "/v1/events (Exact) -> campanello-ingest",
                        "/v1/event-types (Prefix) -> campanello-ingest",
                        "/v1/deliveries (Prefix) -> campanello-history",
                        "/v1/dead-letters (Prefix) -> campanello-retry",
                        "/v1/replays (Prefix) -> campanello-retry");
    }

    @Test
    void getsNeitherKafkaNorCampanellosSecrets() {
        Map<String, Object> deployment = manifests.get("Deployment", "campanello-console");

        assertThat(DefaultValuesTest.env(deployment).keySet())
                .noneMatch(name -> name.startsWith("KAFKA_") || name.startsWith("SPRING_KAFKA_"))
                .doesNotContain("CAMPANELLO_API_KEY", "CAMPANELLO_ADMIN_API_KEY", "CAMPANELLO_SECRETS_KEY");
        assertThat(DefaultValuesTest.env(manifests.get("Deployment", "campanello-ingest")))
                .containsKeys("KAFKA_BOOTSTRAP_SERVERS", "CAMPANELLO_SECRETS_KEY");
    }

    @Test
    void mayReachOnlyDnsAndTheServicesItForwardsTo() {
        List<Object> egress = Yaml.list(manifests.get("NetworkPolicy", "campanello-console"), "spec", "egress");

        assertThat(egress)
                .noneSatisfy(rule -> assertThat(Yaml.list(rule, "ports"))
                        .anySatisfy(port -> assertThat(Yaml.at(port, "port")).isEqualTo(9092)));
        assertThat(egress)
                .anySatisfy(rule -> {
                    assertThat(Yaml.at(rule, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/component"))
                            .isEqualTo("subscription");
                    assertThat(Yaml.at(rule, "ports", 0, "port")).isEqualTo(8082);
                })
                .anySatisfy(rule -> assertThat(
                                Yaml.at(rule, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/component"))
                        .isEqualTo("retry"));
        assertThat(egress)
                .noneSatisfy(
                        rule -> assertThat(Yaml.at(rule, "to", 0, "ipBlock")).isNotNull());
    }
}
