package io.campanello.dispatcher.delivery;

import java.time.Duration;

/**
 * How long to wait before trying again what Kafka refused (a dead letter, an attempt or retry record not written):
 * {@code first}, then twice as long each time, at most {@code last}.
 */
record Backoff(Duration first, Duration last) {

    /** 1 s, 2 s, 4 s, … 30 s. */
    static final Backoff KAFKA_WRITES = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The wait after one more failure; {@code previous} is null after the first. */
    Duration after(Duration previous) {
        if (previous == null) {
            return first;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(last) <= 0 ? doubled : last;
    }
}
