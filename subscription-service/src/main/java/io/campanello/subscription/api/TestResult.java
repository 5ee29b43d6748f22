package io.campanello.subscription.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.schemas.v1.DeliveryAttempt;

/** The answer to a test send: what the endpoint did with it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TestResult(
        String deliveryId,
        AttemptOutcome outcome,
        Integer status,
        String error,
        String errorDetail,
        long durationMillis) {

    static TestResult of(DeliveryAttempt attempt) {
        return new TestResult(
                attempt.getDeliveryId(),
                attempt.getOutcome(),
                attempt.getStatus(),
                attempt.getError(),
                attempt.getErrorDetail(),
                attempt.getDurationMillis());
    }
}
