package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutcomesTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertThat(Outcomes.ofStatus(status)).isEqualTo(new DeliveryOutcome.Delivered(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 400, 404, 429, 500, 502, 503})
    void everyOtherStatusIsRetried(int status) {
        assertThat(Outcomes.ofStatus(status)).isEqualTo(new DeliveryOutcome.RetryableFailure(status, null));
    }

    @Test
    void goneAndConfiguredStatusesArePermanent() {
        assertThat(Outcomes.ofStatus(410)).isEqualTo(new DeliveryOutcome.PermanentFailure(410, null));
        assertThat(Outcomes.ofStatus(422, null, Instant.EPOCH, status -> status == 422))
                .isEqualTo(new DeliveryOutcome.PermanentFailure(422, null));
        assertThat(Outcomes.ofStatus(422)).isInstanceOf(DeliveryOutcome.RetryableFailure.class);
    }

    @Test
    void readsRetryAfterOn429And503AsSecondsOrADate() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(Outcomes.ofStatus(429, "120", now, s -> false).retryAfter())
                .isEqualTo(java.time.Duration.ofSeconds(120));
        assertThat(Outcomes.ofStatus(503, "Mon, 23 Nov 2026 10:05:00 GMT", now, s -> false)
                        .retryAfter())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(Outcomes.ofStatus(500, "120", now, s -> false).retryAfter())
                .as("only on 429 and 503")
                .isNull();
        assertThat(Outcomes.ofStatus(429, "soon", now, s -> false).retryAfter()).isNull();
        assertThat(Outcomes.ofStatus(429, "-5", now, s -> false).retryAfter()).isNull();
    }

    @Test
    void transportFailuresAreRetriedWithTheirKind() {
        assertThat(Outcomes.ofError(new ConnectException("refused")))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "connection_refused"));
        assertThat(Outcomes.ofError(new IOException("wrapped", new TimeoutException())))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "timeout"));
        assertThat(Outcomes.ofError(new UnknownHostException("nowhere.invalid")))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "dns_failure"));
        assertThat(Outcomes.ofError(new SSLHandshakeException("bad certificate")))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "tls_failure"));
        assertThat(Outcomes.ofError(new IllegalStateException("something else")))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "connection_error"));
    }
}
