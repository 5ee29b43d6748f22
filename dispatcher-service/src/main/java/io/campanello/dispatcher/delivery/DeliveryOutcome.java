package io.campanello.dispatcher.delivery;

import io.campanello.schemas.v1.AttemptOutcome;
import java.time.Duration;

/** What one HTTP attempt came to; normal outcomes are data, not exceptions. */
sealed interface DeliveryOutcome {

    /** The outcome as the attempt record names it. */
    AttemptOutcome kind();

    /** The HTTP status, when a response came. */
    Integer status();

    /** The kind of transport error, when no response came. */
    String error();

    /** How long the receiver asked to wait ({@code Retry-After}), if it did. */
    default Duration retryAfter() {
        return null;
    }

    /** The endpoint answered 2xx. */
    record Delivered(int code) implements DeliveryOutcome {
        public AttemptOutcome kind() {
            return AttemptOutcome.DELIVERED;
        }

        public Integer status() {
            return code;
        }

        public String error() {
            return null;
        }
    }

    /** Worth trying again later: any other status, a timeout, a refused or reset connection. */
    record RetryableFailure(Integer status, String error, Duration retryAfter) implements DeliveryOutcome {

        RetryableFailure(Integer status, String error) {
            this(status, error, null);
        }

        public AttemptOutcome kind() {
            return AttemptOutcome.RETRYABLE;
        }
    }

    /** Trying again cannot help. */
    record PermanentFailure(Integer status, String error) implements DeliveryOutcome {
        public AttemptOutcome kind() {
            return AttemptOutcome.PERMANENT;
        }
    }
}
