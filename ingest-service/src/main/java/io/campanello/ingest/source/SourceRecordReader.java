package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.api.ApiException;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one record of a source topic into an event of the source's tenant, or says why it cannot be one: larger than
 * the largest event accepted, not readable in the source's format, not mappable as its mapping says, not an event,
 * or not what its type's schema describes.
 */
class SourceRecordReader {

    private final SourceRecordMapper mapper;
    private final EventParser parser;
    private final EventTypeCatalog catalog;
    private final String tenant;
    private final long maxEventSize;

    SourceRecordReader(SourceDefinition source, EventParser parser, EventTypeCatalog catalog, long maxEventSize) {
        this(source, parser, catalog, maxEventSize, null);
    }

    /** @param avro the reader of Avro values, null when no source is of format avro */
    SourceRecordReader(
            SourceDefinition source,
            EventParser parser,
            EventTypeCatalog catalog,
            long maxEventSize,
            ConfluentAvro avro) {
        this.mapper = new SourceRecordMapper(source, parser, avro);
        this.parser = parser;
        this.catalog = catalog;
        this.tenant = source.tenant();
        this.maxEventSize = maxEventSize;
    }

    /**
     * @throws UnreadableRecordException when the record is not an event; its message starts with the code the HTTP
     *     API would answer ({@code invalid_json}, {@code invalid_event}, {@code payload_too_large}, …) or {@code
     *     invalid_cloudevent}, {@code unmappable_record}, {@code invalid_avro}, {@code unknown_schema}
     * @throws SchemaRegistryUnavailableException when the schema registry does not say what an Avro value's schema
     *     is: the record must wait, not become a dead letter
     */
    Optional<EventEnvelope> read(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value != null && value.length > maxEventSize) {
            throw unreadable(
                    "payload_too_large",
                    "the record has " + value.length + " bytes; an event may be at most " + maxEventSize);
        }
        try {
            ObjectNode mapped = mapper.map(record);
            if (mapped == null) {
                return Optional.empty();
            }
            EventEnvelope event = parser.parse(mapped, tenant, unnamedId(record));
            catalog.check(event);
            return Optional.of(event);
        } catch (InvalidEventException e) {
            throw unreadable(e.code(), e.getMessage());
        } catch (ApiException e) {
            throw unreadable(e.code(), e.getMessage());
        }
    }

    /**
     * The id of an event that its producer did not name: derived from where the record is, so that a record read
     * again after a crash (its offset not yet committed) is the same event, and receivers drop the second call by
     * its {@code webhook-id}. The record's timestamp keeps a re-created topic's offsets from naming old events.
     */
    private String unnamedId(ConsumerRecord<String, byte[]> record) {
        return Ids.eventIdOf(
                "record",
                tenant,
                record.topic(),
                Integer.toString(record.partition()),
                Long.toString(record.offset()),
                Long.toString(record.timestamp()));
    }
}
