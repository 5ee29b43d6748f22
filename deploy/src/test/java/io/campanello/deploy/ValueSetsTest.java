package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every value set under ci/ renders and validates strictly; each one's point is checked in the manifests. */
class ValueSetsTest {

    static Stream<Path> valueSets() {
        return HelmChart.ciValueSets().stream();
    }

    @Test
    void thereAreValueSetsToCheck() {
        assertThat(HelmChart.ciValueSets()).hasSizeGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void rendersValidManifests(Path valueSet) {
        Manifests manifests = HelmChart.render(valueSet, Map.of());

        assertThat(manifests.ofKind("Deployment")).isNotEmpty();
        assertThat(StrictValidator.violations(manifests)).isEmpty();
    }

    @Test
    void theValueSetsTogetherRenderEveryCustomResourceTheChartHas() {
        assertThat(HelmChart.ciValueSets().stream()
                        .flatMap(valueSet -> HelmChart.render(valueSet, Map.of()).documents().stream())
                        .filter(document -> isCustomResource(
                                String.valueOf(document.get("apiVersion")), String.valueOf(document.get("kind"))))
                        .map(document -> document.get("apiVersion") + "/" + document.get("kind"))
                        .distinct())
                .containsExactlyInAnyOrder(
                        "kafka.strimzi.io/v1/KafkaTopic",
                        "keda.sh/v1alpha1/ScaledObject",
                        "monitoring.coreos.com/v1/ServiceMonitor");
    }

    @Test
    void securedKafkaTakesCredentialsAndCertificatesFromExistingSecrets() {
        Manifests manifests = HelmChart.render(valueSet("secured-kafka-values.yaml"), Map.of());
        Map<String, Object> ingest = manifests.get("Deployment", "campanello-ingest");
        Map<String, Object> env = DefaultValuesTest.env(ingest);

        assertThat(env)
                .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "$(KAFKA_SASL_JAAS_CONFIG)")
                .containsEntry("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", "file:/etc/campanello/kafka-ca/ca.crt")
                .containsEntry("SPRING_KAFKA_SSL_KEY_STORE_PASSWORD", "$(KAFKA_KEYSTORE_PASSWORD)")
                .containsEntry("CAMPANELLO_SECRETS_KEY_ID", "k2")
                .containsEntry("CAMPANELLO_URLPOLICY_ALLOWHTTP", "false")
                .containsEntry("CAMPANELLO_URLPOLICY_ALLOWLIST", "10.99.0.0/16,erp.internal.example.com");
        assertThat((String) env.get("KAFKA_SASL_JAAS_CONFIG"))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                .contains("password=\"$(KAFKA_SASL_PASSWORD)\"");
        assertThat(env.get("KAFKA_SASL_PASSWORD"))
                .isEqualTo(Map.of("secretKeyRef", Map.of("name", "campanello-kafka-user", "key", "password")));
        assertThat(env.get("CAMPANELLO_SECRETS_KEY"))
                .isEqualTo(Map.of("secretKeyRef", Map.of("name", "campanello-keys", "key", "secrets-key")));
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        List<String> names = List.copyOf(env.keySet());
        assertThat(names.indexOf("KAFKA_SASL_PASSWORD")).isLessThan(names.indexOf("KAFKA_SASL_JAAS_CONFIG"));
        assertThat(names.indexOf("KAFKA_SASL_JAAS_CONFIG"))
                .isLessThan(names.indexOf("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"));

        assertThat(manifests.find("Secret", "campanello-secrets")).isEmpty();
        assertThat(Yaml.list(manifests.get("Ingress", "campanello"), "spec", "rules", 0, "http", "paths"))
                .extracting(path -> Yaml.at(path, "path") + " (" + Yaml.at(path, "pathType") + ") -> "
                        + Yaml.at(path, "backend", "service", "name"))
                .containsExactlyInAnyOrder(
                        "/v1/deliveries (Prefix) -> campanello-history",
                        "/v1/events (Exact) -> campanello-ingest",
                        "/v1/event-types (Prefix) -> campanello-ingest",
                        "/v1/subscriptions (Prefix) -> campanello-subscription",
                        "/v1/dead-letters (Prefix) -> campanello-retry",
                        "/v1/replays (Prefix) -> campanello-retry");
        assertThat(manifests.get("ServiceMonitor", "campanello")).isNotNull();
        assertThat(Yaml.at(manifests.get("NetworkPolicy", "campanello-ingest"), "spec", "egress", 1, "to", 0))
                .isEqualTo(Map.of("ipBlock", Map.of("cidr", "10.20.0.0/16")));
    }

    @Test
    void strimziClustersGetKafkaTopicsAndLagScaling() {
        Manifests manifests = HelmChart.render(valueSet("strimzi-autoscaling-values.yaml"), Map.of());

        assertThat(manifests.ofKind("Job")).isEmpty();
        assertThat(manifests.ofKind("KafkaTopic"))
                .extracting(topic -> Yaml.at(topic, "spec", "topicName"))
                .contains("webhooks.events", "webhooks.retry.500ms", "webhooks.retry.90m", "webhooks.retry.1d");
        Map<String, Object> tier = manifests.get("KafkaTopic", "webhooks.retry.1d");
        assertThat(Yaml.at(tier, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("events");
        assertThat(Yaml.at(tier, "spec", "config", "retention.ms")).isEqualTo("345600000");

        assertThat(manifests.ofKind("HorizontalPodAutoscaler"))
                .extracting(Manifests::nameOf)
                .containsExactlyInAnyOrder("campanello-ingest", "campanello-subscription");
        assertThat(manifests.ofKind("ScaledObject"))
                .extracting(Manifests::nameOf)
                .containsExactlyInAnyOrder("campanello-dispatcher", "campanello-retry");
        assertThat(Yaml.list(manifests.get("ScaledObject", "campanello-dispatcher"), "spec", "triggers"))
                .extracting(trigger -> Yaml.at(trigger, "metadata", "topic"))
                .containsExactly("webhooks.deliveries", "webhooks.redeliveries");
        // Scaled workloads leave the replica count to their autoscaler.
        assertThat(Yaml.at(manifests.get("Deployment", "campanello-dispatcher"), "spec", "replicas"))
                .isNull();
        assertThat(DefaultValuesTest.env(manifests.get("Deployment", "campanello-ingest")))
                .containsEntry("CAMPANELLO_INGEST_SOURCE_TOPICS", "erp.orders,shop.orders")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "OAUTHBEARER")
                .containsEntry(
                        "KAFKA_SASL_JAAS_CONFIG",
                        Map.of("secretKeyRef", Map.of("name", "campanello-kafka-oauth", "key", "sasl.jaas.config")));
    }

    @Test
    void aMinimalInstallLetsTheServicesCreateTopics() {
        Manifests manifests = HelmChart.render(valueSet("minimal-values.yaml"), Map.of());

        assertThat(manifests.ofKind("Deployment"))
                .extracting(Manifests::nameOf)
                .containsExactlyInAnyOrder(
                        "campanello-console",
                        "campanello-dispatcher",
                        "campanello-history",
                        "campanello-ingest",
                        "campanello-subscription");
        assertThat(manifests.ofKind("Job")).isEmpty();
        assertThat(manifests.ofKind("NetworkPolicy")).isEmpty();
        assertThat(manifests.ofKind("PodDisruptionBudget")).isEmpty();
        Map<String, Object> ingest = manifests.get("Deployment", "campanello-ingest");
        assertThat(DefaultValuesTest.env(ingest))
                .containsEntry("CAMPANELLO_KAFKA_CREATE_TOPICS", "true")
                .containsEntry("CAMPANELLO_KAFKA_REPLICATION_FACTOR", "0")
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60");
        assertThat(Yaml.at(ingest, "spec", "replicas")).isEqualTo(1);
        assertThat(Yaml.at(ingest, "spec", "template", "spec", "serviceAccountName"))
                .isEqualTo("campanello-dev");
        assertThat(Yaml.map(ingest, "spec", "template", "spec", "affinity")).containsOnlyKeys("nodeAffinity");
    }

    private static boolean isCustomResource(String apiVersion, String kind) {
        return CustomResourceDefinitions.OPERATORS.defines(apiVersion, kind)
                || CustomResources.typeOf(apiVersion, kind) != null;
    }

    private static Path valueSet(String name) {
        return HelmChart.DIRECTORY.resolve("ci").resolve(name);
    }
}
