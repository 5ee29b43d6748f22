package io.campanello.schemas;

/**
 * Names of the Kafka headers Campanello writes, readable with any Kafka tool (kcat -J shows them).
 * Values are UTF-8 strings.
 */
public final class KafkaHeaders {

    /** Why a record is on a dead-letter topic: exhausted, permanent_status, unreadable, … */
    public static final String DEAD_LETTER_REASON = "campanello-dlq-reason";

    /** The class of the error that sent a record to a dead-letter topic. */
    public static final String ERROR_CLASS = "campanello-error-class";

    /** A short message of that error; never contains a payload or a secret. */
    public static final String ERROR_MESSAGE = "campanello-error-message";

    /** The topic the record was read from before it was dead-lettered. */
    public static final String ORIGINAL_TOPIC = "campanello-original-topic";

    /** Partition of the original record. */
    public static final String ORIGINAL_PARTITION = "campanello-original-partition";

    /** Offset of the original record. */
    public static final String ORIGINAL_OFFSET = "campanello-original-offset";

    /** HTTP status of the last attempt of a dead-lettered delivery, when one was received. */
    public static final String LAST_STATUS = "campanello-last-status";

    /** Number of attempts made before a delivery was dead-lettered. */
    public static final String ATTEMPTS = "campanello-attempts";

    /** When the first attempt of a dead-lettered delivery was made, ISO-8601. */
    public static final String FIRST_ATTEMPT_AT = "campanello-first-attempt-at";

    /** When the last attempt of a dead-lettered delivery was made, ISO-8601. */
    public static final String LAST_ATTEMPT_AT = "campanello-last-attempt-at";

    /** Due time of a task on a retry tier, ISO-8601 (the Avro value carries it too). */
    public static final String NOT_BEFORE = "campanello-not-before";

    /**
     * On a replayed task ({@code true}): an operator says the endpoint works again, so the dispatcher sends it at once
     * as the probe of an open circuit instead of waiting for the cool-down.
     */
    public static final String PROBE = "campanello-probe";

    /**
     * Why the dispatcher put a task on a retry tier: {@code retry} (a request failed), or {@code endpoint_busy} or
     * {@code circuit_open} (deferred, no request made). The retry service hands the task back with its headers.
     */
    public static final String RETRY_PATH = "campanello-retry-path";

    /** The {@link #RETRY_PATH} of a task retried after a failed request. */
    public static final String RETRY_PATH_RETRY = "retry";

    /** The tenant of the record. */
    public static final String TENANT = "campanello-tenant";

    private KafkaHeaders() {}
}
