package io.campanello.deploy;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML: maps by key, lists by index. */
final class Yaml {

    private Yaml() {}

    /** The value at a path of keys (String) and indexes (Integer), or null when a step is missing. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        return (Map<String, Object>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        return (List<Object>) at(node, path);
    }
}
