package io.campanello.ingest.event;

import java.time.Duration;

/** Kafka did not acknowledge an event within the Kafka timeout; it may or may not have been written. */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KafkaUnavailableException(Duration timeout) {
        super("Kafka did not acknowledge the event within " + timeout.toSeconds()
                + " s; it may or may not have been accepted, send it again");
    }
}
