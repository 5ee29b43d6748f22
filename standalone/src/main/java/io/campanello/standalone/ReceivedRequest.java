package io.campanello.standalone;

import java.util.Map;

/**
 * One request the inspector received.
 *
 * @param signature whether its Standard Webhooks signature verified with the secret of a subscription that points at
 *     this bin; null when the request carried no signature
 */
record ReceivedRequest(
        String receivedAt,
        String method,
        String path,
        Map<String, String> headers,
        String body,
        SignatureCheck signature) {

    /** The outcome of checking a signature. */
    record SignatureCheck(boolean verified, String subscriptionId, String detail) {}
}
