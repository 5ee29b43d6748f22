package io.campanello.ingest.event;

/** An event that cannot be accepted, with the stable code and the reason told to its producer. */
public final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    InvalidEventException(String code, String detail) {
        super(detail);
        this.code = code;
    }

    /** {@code invalid_json} or {@code invalid_event}. */
    public String code() {
        return code;
    }
}
