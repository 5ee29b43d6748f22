package io.campanello.ingest.source;

/**
 * The schema registry did not say which schema an id names (unreachable, too slow, an error, refused credentials):
 * the record is good as far as anyone knows, so it waits and is read again later instead of becoming a dead letter.
 */
class SchemaRegistryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
