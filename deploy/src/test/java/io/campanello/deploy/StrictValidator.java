package io.campanello.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict validation of rendered manifests without a cluster. Built-in kinds are read into the fabric8 Kubernetes
 * model, which keeps unknown fields in {@code additionalProperties}: any such field anywhere in the tree, a value
 * of the wrong type, or a kind the model does not know is a violation. The custom resources the chart may render
 * are checked against the operator's own CRD where the build can obtain it (Strimzi KafkaTopic:
 * {@link CustomResourceDefinitions}), else read into {@link CustomResources} records with unknown properties failing
 * (KEDA ScaledObject, Prometheus Operator ServiceMonitor); their metadata as an {@code ObjectMeta} like that of
 * built-in kinds.
 */
final class StrictValidator {

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final JsonMapper CUSTOM = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StrictValidator() {}

    /** The violations of one document, each naming the document and the path; empty when it is valid. */
    static List<String> violations(Map<String, Object> document) {
        String apiVersion = String.valueOf(document.get("apiVersion"));
        String kind = String.valueOf(document.get("kind"));
        String where = kind + "/" + Manifests.nameOf(document);
        List<String> violations = new ArrayList<>();
        Class<?> custom = CustomResources.typeOf(apiVersion, kind);
        try {
            if (CustomResourceDefinitions.OPERATORS.defines(apiVersion, kind)) {
                violations.addAll(CustomResourceDefinitions.OPERATORS.violations(document, where));
                collectMetadataViolations(document.get("metadata"), where, violations);
                return violations;
            }
            if (custom != null) {
                CUSTOM.convertValue(document, custom);
                collectMetadataViolations(document.get("metadata"), where, violations);
                return violations;
            }
            Class<? extends KubernetesResource> type = KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind);
            if (type == null || type == GenericKubernetesResource.class) {
                violations.add(where + ": unknown kind " + apiVersion + "/" + kind);
                return violations;
            }
            Object resource = KUBERNETES.unmarshal(JSON.writeValueAsString(document), type);
            collectUnknownFields(resource, where, violations);
        } catch (JacksonException | IllegalArgumentException e) {
            violations.add(where + ": " + e.getMessage());
        } catch (KubernetesClientException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            violations.add(where + ": " + cause.getMessage());
        }
        return violations;
    }

    /** The violations of every document. */
    static List<String> violations(Manifests manifests) {
        return manifests.documents().stream()
                .flatMap(document -> violations(document).stream())
                .toList();
    }

    /** A custom resource's metadata, checked as the API server does: as an ObjectMeta, whatever the CRD. */
    private static void collectMetadataViolations(Object metadata, String where, List<String> violations) {
        ObjectMeta meta = KUBERNETES.unmarshal(JSON.writeValueAsString(metadata), ObjectMeta.class);
        if (meta == null || meta.getName() == null) {
            violations.add(where + ": metadata.name is missing");
        } else {
            collectUnknownFields(meta, where + ".metadata", violations);
        }
    }

    private static void collectUnknownFields(Object node, String path, List<String> violations) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + index++ + "]", violations);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, violations));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    violations.add(path + ": unknown field(s) " + unknown.keySet());
                }
            } else {
                collectUnknownFields(value, path + "." + property(getter), violations);
            }
        }
    }

    private static boolean isGetter(Method method) {
        return method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers())
                && method.getDeclaringClass() != Object.class
                && method.getName().startsWith("get")
                && !method.getReturnType().isPrimitive();
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
