package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The check of custom resources bites: each kind the chart renders, taken from a real rendering and then broken in one
 * place, is refused, as the API server would refuse it. KafkaTopics are checked against Strimzi's CRD as its generator
 * makes it from the artifacts on Maven Central; ScaledObjects and ServiceMonitors against the fields of
 * {@link CustomResources}.
 */
class CustomResourceDefinitionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Manifests STRIMZI =
            HelmChart.render(HelmChart.DIRECTORY.resolve("ci").resolve("strimzi-autoscaling-values.yaml"), Map.of());
    private static final Manifests SECURED =
            HelmChart.render(HelmChart.DIRECTORY.resolve("ci").resolve("secured-kafka-values.yaml"), Map.of());

    @Test
    void theChartsCustomResourcesAreValidAsRendered() {
        assertThat(StrictValidator.violations(kafkaTopic())).isEmpty();
        assertThat(StrictValidator.violations(scaledObject())).isEmpty();
        assertThat(StrictValidator.violations(serviceMonitor())).isEmpty();
    }

    @Test
    void anUnknownFieldIsRefusedInEachKind() {
        assertThat(violations(with(kafkaTopic(), "spec", "replicationFactor", 3)))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("KafkaTopic/webhooks.events", "/spec", "'replicationFactor'");
        assertThat(violations(with(scaledObject(), "spec", "maxReplicas", 3)))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("ScaledObject/campanello-dispatcher", "maxReplicas");
        assertThat(violations(with(serviceMonitor(), "spec", "endpoints", 0, "scrapeInterval", "30s")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("ServiceMonitor/campanello", "scrapeInterval");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedInEachKind() {
        assertThat(violations(with(kafkaTopic(), "spec", "partitions", "twelve")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("/spec/partitions", "integer");
        assertThat(violations(with(scaledObject(), "spec", "minReplicaCount", "three")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("ScaledObject/campanello-dispatcher", "three");
        assertThat(violations(with(serviceMonitor(), "spec", "endpoints", 0, "port", List.of("http"))))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("ServiceMonitor/campanello", "port");
    }

    @Test
    void theKafkaTopicSchemasBoundsAreChecked() {
        assertThat(violations(with(kafkaTopic(), "spec", "partitions", 0)))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("/spec/partitions");
    }

    @Test
    void preservedFieldsTakeAnyKeyAndIntOrStringTakesBoth() {
        assertThat(violations(with(kafkaTopic(), "spec", "config", "any.broker.setting", 7)))
                .isEmpty();
        // Strimzi's KafkaTopic has no int-or-string field: one added to a copy of its CRD, as KEDA's and the
        // Prometheus Operator's CRDs have them.
        Map<String, Object> crd = strimziCrd();
        Map<String, Object> spec = Yaml.map(Yaml.list(crd, "spec", "versions").get(0), "schema", "openAPIV3Schema");
        Yaml.map(spec, "properties", "spec", "properties")
                .put(
                        "port",
                        Map.of(
                                "x-kubernetes-int-or-string",
                                true,
                                "anyOf",
                                List.of(Map.of("type", "integer"), Map.of("type", "string"))));
        CustomResourceDefinitions withPort = CustomResourceDefinitions.of(List.of(crd));

        assertThat(withPort.violations(with(kafkaTopic(), "spec", "port", 8080), "t"))
                .isEmpty();
        assertThat(withPort.violations(with(kafkaTopic(), "spec", "port", "http"), "t"))
                .isEmpty();
        assertThat(withPort.violations(with(kafkaTopic(), "spec", "port", true), "t"))
                .isNotEmpty();
    }

    @Test
    void anUnknownFieldInMetadataIsRefused() {
        assertThat(violations(with(scaledObject(), "metadata", "label", Map.of("a", "b"))))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("ScaledObject/campanello-dispatcher.metadata", "label");
    }

    @Test
    void aKafkaTopicOfTheRemovedV1beta2IsRefused() {
        assertThat(violations(with(kafkaTopic(), "apiVersion", "kafka.strimzi.io/v1beta2")))
                .containsExactly("KafkaTopic/webhooks.events: kafka.strimzi.io/v1beta2 is not served by "
                        + "Strimzi 1.2.0 (use v1)");
    }

    @Test
    void aDeprecatedOrUnservedVersionIsRefused() {
        // Strimzi 0.49 served v1beta2 as deprecated beside v1; here as v1beta3 and v1beta4 made from its v1.
        Map<String, Object> crd = strimziCrd();
        List<Object> versions = Yaml.list(crd, "spec", "versions");
        Map<String, Object> deprecated = copy(Yaml.map(versions.get(0)));
        deprecated.putAll(Map.of("name", "v1beta3", "storage", false, "deprecated", true));
        Map<String, Object> unserved = copy(Yaml.map(versions.get(0)));
        unserved.putAll(Map.of("name", "v1beta4", "storage", false, "served", false));
        versions.add(deprecated);
        versions.add(unserved);
        CustomResourceDefinitions strimzi = CustomResourceDefinitions.of(List.of(crd));

        assertThat(strimzi.violations(with(kafkaTopic(), "apiVersion", "kafka.strimzi.io/v1beta3"), "t"))
                .containsExactly("t: kafka.strimzi.io/v1beta3 is deprecated by a test (use v1)");
        assertThat(strimzi.violations(with(kafkaTopic(), "apiVersion", "kafka.strimzi.io/v1beta4"), "t"))
                .containsExactly("t: kafka.strimzi.io/v1beta4 is not served by a test (use v1)");
        assertThat(strimzi.violations(kafkaTopic(), "t")).isEmpty();
    }

    private static List<String> violations(Map<String, Object> document) {
        return StrictValidator.violations(document);
    }

    private static Map<String, Object> kafkaTopic() {
        return copy(STRIMZI.get("KafkaTopic", "webhooks.events"));
    }

    private static Map<String, Object> scaledObject() {
        return copy(STRIMZI.get("ScaledObject", "campanello-dispatcher"));
    }

    private static Map<String, Object> serviceMonitor() {
        return copy(SECURED.get("ServiceMonitor", "campanello"));
    }

    /** The document with the value at the path (keys and list indexes) set, the last key added if missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> with(Map<String, Object> document, Object... pathAndValue) {
        Object parent = Yaml.at(document, java.util.Arrays.copyOf(pathAndValue, pathAndValue.length - 2));
        ((Map<String, Object>) parent)
                .put((String) pathAndValue[pathAndValue.length - 2], pathAndValue[pathAndValue.length - 1]);
        return document;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> document) {
        return JSON.readValue(JSON.writeValueAsString(document), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> strimziCrd() {
        try (InputStream in = Files.newInputStream(StrimziCrd.kafkaTopic())) {
            Map<String, Object> crd = new YAMLMapper().readValue(in, Map.class);
            Yaml.map(crd, "spec").put("versions", new ArrayList<>(Yaml.list(crd, "spec", "versions")));
            return crd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
