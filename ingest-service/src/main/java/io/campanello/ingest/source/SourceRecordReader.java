package io.campanello.ingest.source;

import io.campanello.api.ApiException;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one source record into an event of the source tenant, or says why it cannot be one: no value, larger than
 * the largest event accepted, not an event, or not what its type's schema describes.
 */
class SourceRecordReader {

    private final EventParser parser;
    private final EventTypeCatalog catalog;
    private final String tenant;
    private final long maxEventSize;

    SourceRecordReader(EventParser parser, EventTypeCatalog catalog, String tenant, long maxEventSize) {
        this.parser = parser;
        this.catalog = catalog;
        this.tenant = tenant;
        this.maxEventSize = maxEventSize;
    }

    /**
     * @throws UnreadableRecordException when the record is not an event; its message starts with the code the HTTP
     *     API would answer ({@code invalid_json}, {@code invalid_event}, {@code payload_too_large}, …)
     */
    EventEnvelope read(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            throw unreadable("invalid_event", "a record without value is not an event");
        }
        if (value.length > maxEventSize) {
            throw unreadable(
                    "payload_too_large",
                    "the record has " + value.length + " bytes; an event may be at most " + maxEventSize);
        }
        try {
            EventEnvelope event = parser.parse(value, tenant, unnamedId(record));
            catalog.check(event);
            return event;
        } catch (InvalidEventException e) {
            throw unreadable(e.code(), e.getMessage());
        } catch (ApiException e) {
            throw unreadable(e.code(), e.getMessage());
        }
    }

    private static UnreadableRecordException unreadable(String code, String message) {
        return new UnreadableRecordException(code + ": " + message);
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
