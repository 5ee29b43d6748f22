package io.campanello.signature;

/** The HTTP headers of a Standard Webhooks call. */
public final class WebhookHeaders {

    /** Unique id of the message; the same on every retry, so receivers can drop duplicates. */
    public static final String ID = "webhook-id";

    /** Unix time in seconds when the call was signed. */
    public static final String TIMESTAMP = "webhook-timestamp";

    /** Space-separated list of {@code v1,<base64 HMAC-SHA256>} signatures. */
    public static final String SIGNATURE = "webhook-signature";

    private WebhookHeaders() {}
}
