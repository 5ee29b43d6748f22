package io.campanello.deploy;

import java.util.List;
import java.util.Map;

/**
 * The custom resources the chart may render whose operator publishes no CRD where the build can fetch it (KEDA's
 * ScaledObject, the Prometheus Operator's ServiceMonitor: their CRDs are released on GitHub only, see
 * {@code src/test/resources/crds/README.md}), as records of the fields their CRDs define (KEDA 2.x, Prometheus
 * Operator v1). Only fields the chart has reason to use are listed: a typo, or a field of another version, fails
 * deserialization. Metadata is checked as an ObjectMeta by {@link StrictValidator}, as for every custom resource.
 */
final class CustomResources {

    private CustomResources() {}

    static Class<?> typeOf(String apiVersion, String kind) {
        String type = apiVersion + "/" + kind;
        return switch (type) {
            case "keda.sh/v1alpha1/ScaledObject" -> ScaledObject.class;
            case "monitoring.coreos.com/v1/ServiceMonitor" -> ServiceMonitor.class;
            default -> null;
        };
    }

    record LabelSelectorRequirement(String key, String operator, List<String> values) {}

    record LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {}

    record ScaledObject(String apiVersion, String kind, Map<String, Object> metadata, ScaledObjectSpec spec) {}

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Integer idleReplicaCount,
            Integer pollingInterval,
            Integer cooldownPeriod,
            List<ScaleTrigger> triggers) {}

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {}

    record ScaleTrigger(
            String type,
            String name,
            Map<String, String> metadata,
            AuthenticationRef authenticationRef,
            String metricType,
            Boolean useCachedMetrics) {}

    record AuthenticationRef(String name, String kind) {}

    record ServiceMonitor(String apiVersion, String kind, Map<String, Object> metadata, ServiceMonitorSpec spec) {}

    record ServiceMonitorSpec(
            LabelSelector selector, NamespaceSelector namespaceSelector, List<Endpoint> endpoints, String jobLabel) {}

    record NamespaceSelector(Boolean any, List<String> matchNames) {}

    record Endpoint(String port, String path, String scheme, String interval, String scrapeTimeout) {}
}
