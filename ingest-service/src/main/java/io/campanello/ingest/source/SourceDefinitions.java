package io.campanello.ingest.source;

import io.campanello.ingest.IngestProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the configured sources ({@code campanello.ingest.sources.*} and the short list {@code source-topics}) into
 * definitions, with each format's default mapping; refuses a configuration that could not work (a topic read
 * twice, a mapping that names no place in a record, a {@code json} source without a type).
 */
final class SourceDefinitions {

    private SourceDefinitions() {}

    static List<SourceDefinition> of(IngestProperties properties) {
        List<SourceDefinition> definitions = new ArrayList<>();
        for (String topic : properties.sourceTopics()) {
            definitions.add(new SourceDefinition(
                    topic, topic, SourceFormat.CAMPANELLO_JSON, properties.sourceTenant(), Map.of()));
        }
        properties.sources().forEach((name, source) -> definitions.add(of(name, source, properties.sourceTenant())));
        Map<String, String> names = new HashMap<>();
        for (SourceDefinition definition : definitions) {
            String other = names.putIfAbsent(definition.topic(), definition.name());
            if (other != null) {
                throw new IllegalArgumentException("campanello.ingest: topic '" + definition.topic()
                        + "' is configured twice (" + other + ", " + definition.name() + ")");
            }
        }
        return definitions;
    }

    private static SourceDefinition of(String name, IngestProperties.Source source, String defaultTenant) {
        IngestProperties.Mapping configured = source.mapping();
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("id", configured.id());
        texts.put("type", configured.type());
        texts.put("source", configured.source());
        texts.put("subject", configured.subject());
        texts.put("time", configured.time());
        texts.put("data", configured.data());
        if (source.format() == SourceFormat.JSON) {
            if (isBlank(configured.type())) {
                throw new IllegalArgumentException("campanello.ingest.sources." + name
                        + ": a source of format json needs mapping.type (e.g. header:event-type or /eventType)");
            }
            if (isBlank(texts.get("data"))) {
                texts.put("data", "value");
            }
        }
        Map<String, FieldLocation> mapping = new LinkedHashMap<>();
        texts.forEach((attribute, text) -> {
            if (!isBlank(text)) {
                try {
                    mapping.put(attribute, FieldLocation.parse(attribute, text.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("campanello.ingest.sources." + name + ": " + e.getMessage(), e);
                }
            }
        });
        String tenant =
                isBlank(source.tenant()) ? defaultTenant : source.tenant().strip();
        return new SourceDefinition(name, source.topic().strip(), source.format(), tenant, Map.copyOf(mapping));
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
