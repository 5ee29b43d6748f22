package io.campanello.dispatcher.delivery;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** The one place where an HTTP status or an error becomes a {@link DeliveryOutcome}. */
final class Outcomes {

    private Outcomes() {}

    static DeliveryOutcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status);
        }
        return new DeliveryOutcome.RetryableFailure(status, null);
    }

    /** Every transport failure is worth retrying; its kind is kept for the attempt record. */
    static DeliveryOutcome ofError(Throwable error) {
        return new DeliveryOutcome.RetryableFailure(null, errorClass(error));
    }

    static String errorClass(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (cause instanceof ConnectException) {
                return "connection_refused";
            }
            if (cause instanceof UnknownHostException) {
                return "dns_failure";
            }
            if (cause instanceof SSLException) {
                return "tls_failure";
            }
            if (cause instanceof ClosedChannelException
                    || cause.getClass().getSimpleName().contains("PrematureClose")) {
                return "connection_closed";
            }
        }
        return "connection_error";
    }
}
