package io.campanello.kafka;

import io.campanello.schemas.KafkaHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes a record that cannot be read, with its original key, bytes and headers, to a dead-letter topic with the
 * error in headers added after them, without waiting: a consumer that reads in batches sends its dead letters with
 * the rest of the batch and waits once. Internal records go to webhooks.dlq; producers' records, and dead letters themselves, to the
 * ingest dead-letter topic.
 */
public class DeadLetterWriter {

    /** The reason header of a record that could not be read. */
    public static final String UNREADABLE = "unreadable";

    private final KafkaTemplate<Object, Object> template;
    private final CampanelloKafkaProperties.TopicNames topics;

    DeadLetterWriter(KafkaTemplate<Object, Object> template, CampanelloKafkaProperties.TopicNames topics) {
        this.template = template;
        this.topics = topics;
    }

    /** Sends the record to its dead-letter topic; the future completes once Kafka acknowledged it. */
    public CompletableFuture<?> send(ConsumerRecord<?, ?> record, Exception error) {
        var letter = new ProducerRecord<Object, Object>(
                topicFor(topics, record.topic()), null, record.key(), record.value(), headers(record, error));
        return template.send(letter);
    }

    static String topicFor(CampanelloKafkaProperties.TopicNames topics, String sourceTopic) {
        if (topics.isInternal(sourceTopic) && !sourceTopic.equals(topics.dlq())) {
            return topics.dlq();
        }
        return topics.ingestDlq();
    }

    /**
     * The headers of a dead letter: the record's own (a binary-mode CloudEvent's attributes are headers), then the
     * reason, error class and message, and where the record came from, which a reader takes as the last of their name.
     */
    static Headers headers(ConsumerRecord<?, ?> record, Exception exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && !(cause instanceof UnreadableRecordException)) {
            cause = cause.getCause();
        }
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add(KafkaHeaders.DEAD_LETTER_REASON, utf8(UNREADABLE));
        headers.add(KafkaHeaders.ERROR_CLASS, utf8(cause.getClass().getName()));
        headers.add(KafkaHeaders.ERROR_MESSAGE, utf8(String.valueOf(cause.getMessage())));
        headers.add(KafkaHeaders.ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(KafkaHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(KafkaHeaders.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
