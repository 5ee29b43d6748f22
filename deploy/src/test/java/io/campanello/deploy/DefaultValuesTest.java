package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart as a platform team gets it with only the defaults. */
class DefaultValuesTest {

    private static final List<String> SERVICES = List.of("dispatcher", "history", "ingest", "retry", "subscription");
    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = HelmChart.render(Map.of());
    }

    @Test
    void lintsCleanlyInStrictMode() {
        var lint = HelmChart.lint();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void rendersEveryManifestValidAgainstTheKubernetesModel() {
        assertThat(StrictValidator.violations(manifests)).isEmpty();
    }

    @Test
    void rendersTheExpectedKinds() {
        Map<String, Long> kinds = manifests.documents().stream()
                .collect(Collectors.groupingBy(d -> (String) d.get("kind"), Collectors.counting()));
        assertThat(kinds)
                .containsEntry("Deployment", 6L)
                .containsEntry("Service", 6L)
                .containsEntry("PodDisruptionBudget", 6L)
                .containsEntry("NetworkPolicy", 7L)
                .containsEntry("Secret", 1L)
                .containsEntry("ServiceAccount", 1L)
                .containsEntry("Job", 1L)
                .doesNotContainKeys(
                        "HorizontalPodAutoscaler", "ScaledObject", "ServiceMonitor", "Ingress", "KafkaTopic");
    }

    @Test
    void hardensEveryPod() {
        for (Map<String, Object> workload : podTemplates()) {
            Map<String, Object> pod = Yaml.map(workload, "spec", "template", "spec");
            assertThat(Yaml.at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(Yaml.at(pod, "securityContext", "seccompProfile", "type"))
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
            for (Object container : Yaml.list(pod, "containers")) {
                Map<String, Object> security = Yaml.map(container, "securityContext");
                assertThat(security)
                        .as(Manifests.nameOf(workload))
                        .containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false)
                        .containsEntry("runAsNonRoot", true);
                assertThat(Yaml.list(security, "capabilities", "drop")).containsExactly("ALL");
                assertThat(Yaml.list(container, "volumeMounts"))
                        .anySatisfy(
                                mount -> assertThat(Yaml.at(mount, "mountPath")).isEqualTo("/tmp"));
            }
        }
    }

    @Test
    void probesEachServiceOnItsActuatorHealthGroups() {
        Map<String, Integer> ports =
                Map.of("ingest", 8081, "subscription", 8082, "dispatcher", 8083, "retry", 8084, "history", 8085);
        for (String service : SERVICES) {
            Object container = Yaml.at(deployment(service), "spec", "template", "spec", "containers", 0);
            assertThat(Yaml.at(container, "ports", 0, "containerPort")).isEqualTo(ports.get(service));
            assertThat(Yaml.at(container, "image")).isEqualTo("ghcr.io/campanello/" + service + "-service:0.1.0");
            assertThat(Yaml.at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(Yaml.at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(Yaml.at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(Yaml.at(container, "resources", "limits", "memory")).isEqualTo("768Mi");
            assertThat(Yaml.at(deployment(service), "spec", "template", "metadata", "annotations"))
                    .isEqualTo(Map.of(
                            "prometheus.io/scrape", "true",
                            "prometheus.io/port", String.valueOf(ports.get(service)),
                            "prometheus.io/path", "/actuator/prometheus"));
        }
    }

    @Test
    void configuresTheServicesFromValuesAndSecrets() {
        Map<String, Object> env = env(deployment("dispatcher"));
        assertThat(env)
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
                .containsEntry("CAMPANELLO_KAFKA_CREATE_TOPICS", "false")
                .containsEntry("CAMPANELLO_KAFKA_PARTITIONS", "12")
                .containsEntry("CAMPANELLO_KAFKA_REPLICATION_FACTOR", "3")
                .containsEntry("CAMPANELLO_KAFKA_RETRY_DELAYS", "5s,30s,2m,10m,30m,2h,6h,12h")
                .containsEntry("CAMPANELLO_KAFKA_TOPICS_INGESTDLQ", "webhooks.ingest.dlq")
                .containsEntry("CAMPANELLO_KAFKA_TOPICS_ENDPOINTHEALTH", "webhooks.endpoint-health")
                .containsEntry("CAMPANELLO_KAFKA_TOPICS_ENDPOINTSTATUS", "webhooks.endpoint-status")
                .containsEntry("CAMPANELLO_KAFKA_TOPICS_REPLAYED", "webhooks.dlq.replayed")
                .containsEntry("CAMPANELLO_SECRETS_KEY_ID", "k1");
        assertThat(env.get("CAMPANELLO_API_KEY"))
                .isEqualTo(Map.of("secretKeyRef", Map.of("name", "campanello-secrets", "key", "api-key")));
        assertThat(env.get("CAMPANELLO_API_KEYS"))
                .isEqualTo(Map.of(
                        "secretKeyRef", Map.of("name", "campanello-secrets", "key", "api-keys", "optional", true)));
        assertThat(env).doesNotContainKeys("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "KAFKA_SASL_PASSWORD");
    }

    @Test
    void generatesTheSecretOnceAsAnInstallHookKeptOnUninstall() {
        Map<String, Object> secret = manifests.get("Secret", "campanello-secrets");
        assertThat(Yaml.map(secret, "metadata", "annotations"))
                .containsEntry("helm.sh/hook", "pre-install")
                .containsEntry("helm.sh/resource-policy", "keep")
                .doesNotContainKey("helm.sh/hook-delete-policy");
        Map<String, Object> data = Yaml.map(secret, "data");
        String secretsKey = new String(java.util.Base64.getDecoder().decode((String) data.get("secrets-key")));
        assertThat(java.util.Base64.getDecoder().decode(secretsKey)).hasSize(32);
        assertThat(new String(java.util.Base64.getDecoder().decode((String) data.get("api-key"))))
                .startsWith("cmp_")
                .hasSize(44);
    }

    @Test
    void provisionsEveryTopicWithItsPolicyInAHookJob() {
        Map<String, Object> job = manifests.get("Job", "campanello-topics");
        assertThat(Yaml.at(job, "metadata", "annotations", "helm.sh/hook")).isEqualTo("pre-install,pre-upgrade");
        String script = (String) Yaml.at(job, "spec", "template", "spec", "containers", 0, "args", 0);
        assertThat(script)
                .contains(
                        "ensure 'webhooks.events' 12 'cleanup.policy=delete,min.insync.replicas=2,retention.ms=604800000'")
                .contains("ensure 'webhooks.subscriptions' 12 'cleanup.policy=compact,min.insync.replicas=2'")
                .contains("ensure 'webhooks.replays' 12 'cleanup.policy=compact,min.insync.replicas=2'")
                .contains("ensure 'webhooks.dlq.replayed' 12 'cleanup.policy=compact,min.insync.replicas=2'")
                .contains("ensure 'webhooks.endpoint-health' 12 'cleanup.policy=compact,min.insync.replicas=2'")
                .contains("ensure 'webhooks.endpoint-status' 12 'cleanup.policy=compact,min.insync.replicas=2'")
                .contains(
                        "ensure 'webhooks.dlq' 12 'cleanup.policy=delete,min.insync.replicas=2,retention.ms=2592000000'")
                // max(4 × delay, 1 day): 5 s and 6 h tiers keep a day, the 12 h tier two days.
                .contains(
                        "ensure 'webhooks.retry.5s' 12 'cleanup.policy=delete,min.insync.replicas=2,retention.ms=86400000'")
                .contains(
                        "ensure 'webhooks.retry.6h' 12 'cleanup.policy=delete,min.insync.replicas=2,retention.ms=86400000'")
                .contains(
                        "ensure 'webhooks.retry.12h' 12 'cleanup.policy=delete,min.insync.replicas=2,retention.ms=172800000'")
                .contains("--replication-factor 3");
        assertThat(script.lines().filter(line -> line.strip().startsWith("ensure '")))
                .hasSize(13 + 8);
    }

    @Test
    void letsOnlyTheDispatcherReachTheInternetAndNeverPrivateRanges() {
        Map<String, Object> dispatcher = manifests.get("NetworkPolicy", "campanello-dispatcher");
        List<Object> egress = Yaml.list(dispatcher, "spec", "egress");
        assertThat(egress).anySatisfy(rule -> {
            assertThat(Yaml.at(rule, "to", 0, "ipBlock", "cidr")).isEqualTo("0.0.0.0/0");
            assertThat(Yaml.list(rule, "to", 0, "ipBlock", "except"))
                    .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
        });
        for (String service : List.of("ingest", "subscription", "retry", "history")) {
            assertThat(Yaml.list(manifests.get("NetworkPolicy", "campanello-" + service), "spec", "egress"))
                    .as(service)
                    .noneSatisfy(rule ->
                            assertThat(Yaml.at(rule, "to", 0, "ipBlock")).isNotNull());
        }
    }

    @Test
    void letsTheHistoryInstancesAskEachOtherOnTheirPodAddresses() {
        Map<String, Object> history = manifests.get("NetworkPolicy", "campanello-history");
        assertThat(Yaml.list(history, "spec", "egress")).anySatisfy(rule -> {
            assertThat(Yaml.at(rule, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/component"))
                    .isEqualTo("history");
            assertThat(Yaml.at(rule, "ports", 0, "port")).isEqualTo("http");
        });
        for (String service : List.of("ingest", "subscription", "dispatcher", "retry")) {
            assertThat(Yaml.list(manifests.get("NetworkPolicy", "campanello-" + service), "spec", "egress"))
                    .as(service)
                    .noneSatisfy(rule ->
                            assertThat(Yaml.at(rule, "to", 0, "podSelector")).isNotNull());
        }
        assertThat(env(deployment("history")))
                .containsEntry("CAMPANELLO_HISTORY_ADVERTISEDADDRESS", "$(POD_IP):8085")
                .containsKey("POD_IP");
    }

    private static Map<String, Object> deployment(String service) {
        return manifests.get("Deployment", "campanello-" + service);
    }

    private static List<Map<String, Object>> podTemplates() {
        List<Map<String, Object>> templates = new java.util.ArrayList<>(manifests.ofKind("Deployment"));
        templates.addAll(manifests.ofKind("Job"));
        return templates;
    }

    /** The container's env as name → value, or name → valueFrom. */
    static Map<String, Object> env(Map<String, Object> workload) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object variable : Yaml.list(workload, "spec", "template", "spec", "containers", 0, "env")) {
            Object value = Yaml.at(variable, "value");
            env.put((String) Yaml.at(variable, "name"), value != null ? value : Yaml.at(variable, "valueFrom"));
        }
        return env;
    }
}
