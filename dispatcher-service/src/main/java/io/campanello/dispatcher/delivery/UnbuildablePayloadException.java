package io.campanello.dispatcher.delivery;

/**
 * The body of a delivery cannot be written from its event (e.g. its {@code data} is not JSON): no retry can fix that,
 * so the delivery becomes a dead letter at once ({@code payload_unbuildable}).
 */
final class UnbuildablePayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnbuildablePayloadException(String reason) {
        super(reason);
    }
}
