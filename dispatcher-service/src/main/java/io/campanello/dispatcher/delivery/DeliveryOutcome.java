package io.campanello.dispatcher.delivery;

/** What one HTTP attempt came to; normal outcomes are data, not exceptions. */
sealed interface DeliveryOutcome {

    /** The endpoint answered 2xx. */
    record Delivered(int status) implements DeliveryOutcome {}

    /** Worth trying again later: any other status, a timeout, a refused or reset connection. */
    record RetryableFailure(Integer status, String error) implements DeliveryOutcome {}

    /** Trying again cannot help. */
    record PermanentFailure(Integer status, String error) implements DeliveryOutcome {}
}
