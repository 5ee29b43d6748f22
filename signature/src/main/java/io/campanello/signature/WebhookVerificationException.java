package io.campanello.signature;

/** A webhook call that must be rejected: missing headers, a stale timestamp or no matching signature. */
public final class WebhookVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public WebhookVerificationException(String message) {
        super(message);
    }
}
