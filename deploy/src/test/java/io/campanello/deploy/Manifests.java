package io.campanello.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The documents of a rendered chart, as plain maps, with look-ups by kind and name. */
record Manifests(List<Map<String, Object>> documents) {

    private static final ObjectReader READER = new YAMLMapper().readerFor(Map.class);

    static Manifests parse(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> values = READER.readValues(yaml)) {
            while (values.hasNext()) {
                Map<String, Object> document = values.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(restoreHookAnnotations(document));
                }
            }
        }
        return new Manifests(List.copyOf(documents));
    }

    /** Undoes {@link HelmChart}'s renaming of hook annotations. */
    private static Map<String, Object> restoreHookAnnotations(Map<String, Object> document) {
        Map<String, Object> annotations = Yaml.map(document, "metadata", "annotations");
        if (annotations != null) {
            Map<String, Object> restored = new java.util.LinkedHashMap<>();
            annotations.forEach((key, value) ->
                    restored.put(key.replace(HelmChart.HOOK_STAND_IN, HelmChart.HOOK_ANNOTATION), value));
            Yaml.map(document, "metadata").put("annotations", restored);
        }
        return document;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(nameOf(d))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
    }

    List<String> names() {
        return documents.stream().map(d -> d.get("kind") + "/" + nameOf(d)).toList();
    }

    static String nameOf(Map<String, Object> document) {
        return String.valueOf(Yaml.at(document, "metadata", "name"));
    }
}
