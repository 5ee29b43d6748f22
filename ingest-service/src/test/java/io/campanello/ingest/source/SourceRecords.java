package io.campanello.ingest.source;

import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** Source records as a producer writes them, and the event a source makes of one. */
final class SourceRecords {

    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final EventParser PARSER = new EventParser(JsonMapper.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC));

    private SourceRecords() {}

    /** A record at the given offset, with headers given as name, value, name, value, … */
    static ConsumerRecord<String, byte[]> record(long offset, String key, String value, String... headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            recordHeaders.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                "erp.orders",
                0,
                offset,
                1L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                recordHeaders,
                Optional.empty());
    }

    /** A source of tenant acme configured with the format and mapping (attribute to location) given. */
    static SourceDefinition source(SourceFormat format, Map<String, String> mapping) {
        var configured = new IngestProperties.Mapping(
                mapping.get("id"),
                mapping.get("type"),
                mapping.get("source"),
                mapping.get("subject"),
                mapping.get("time"),
                mapping.get("data"));
        var properties = new IngestProperties(
                DataSize.ofKilobytes(256),
                Duration.ofSeconds(5),
                List.of(),
                "acme",
                Map.of("orders", new IngestProperties.Source("erp.orders", format, null, configured)),
                1,
                true,
                1000);
        return SourceDefinitions.of(properties).get(0);
    }

    /** The event a source makes of a record, as the reader does minus the size and catalog checks. */
    static EventEnvelope event(SourceDefinition source, ConsumerRecord<String, byte[]> record)
            throws InvalidEventException {
        String unnamed = Ids.eventIdOf("record", record.topic(), Long.toString(record.offset()));
        return PARSER.parse(new SourceRecordMapper(source, PARSER).map(record), source.tenant(), unnamed);
    }
}
