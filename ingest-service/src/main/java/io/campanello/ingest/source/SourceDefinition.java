package io.campanello.ingest.source;

import java.util.Map;

/**
 * One source topic as the reader uses it: its format, tenant and where each mapped attribute is found.
 *
 * @param mapping attribute name ({@code id}, {@code type}, …, {@code data}) to where it is found, over what the
 *     format gives
 */
record SourceDefinition(
        String name, String topic, SourceFormat format, String tenant, Map<String, FieldLocation> mapping) {}
