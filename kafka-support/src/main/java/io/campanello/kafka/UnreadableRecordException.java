package io.campanello.kafka;

/**
 * A record that no retry can make readable (bad JSON, a missing required attribute). Listeners throw it; the
 * shared error handler sends the record to the dead-letter topic at once, with this message in its headers, and
 * the consumer goes on. The message must never contain a payload or a secret.
 */
public class UnreadableRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableRecordException(String message) {
        super(message);
    }
}
