package io.campanello.ingest.source;

import io.campanello.api.ApiException;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.EventWriter;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.kafka.UnreadableRecordException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;

/**
 * Reads events that business systems produce on source topics, in the same JSON shape as the HTTP API. The
 * offset is committed only after the envelope is written; an unreadable record goes to the ingest dead-letter topic.
 */
class SourceTopicListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SourceTopicListener.class);

    private final EventParser parser;
    private final EventWriter writer;
    private final EventTypeCatalog catalog;
    private final String tenant;

    SourceTopicListener(EventParser parser, EventWriter writer, EventTypeCatalog catalog, String tenant) {
        this.parser = parser;
        this.writer = writer;
        this.catalog = catalog;
        this.tenant = tenant;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new UnreadableRecordException("a record without value is not an event");
        }
        try {
            var parsed = parser.parse(record.value(), tenant);
            catalog.check(parsed);
            var event = writer.write(parsed).get();
            log.debug("accepted event_id={} topic={} offset={}", event.getId(), record.topic(), record.offset());
        } catch (InvalidEventException e) {
            throw new UnreadableRecordException(e.code() + ": " + e.getMessage());
        } catch (ApiException e) {
            throw new UnreadableRecordException(e.code() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing an event", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the event to Kafka", e.getCause());
        }
    }
}
