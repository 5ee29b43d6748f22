package io.campanello.subscription.filter;

/** A filter expression that does not compile, or is not a boolean; the message says where, for its author. */
public final class InvalidFilterException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidFilterException(String message) {
        super(message);
    }
}
