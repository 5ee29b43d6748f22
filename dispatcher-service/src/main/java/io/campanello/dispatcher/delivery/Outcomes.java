package io.campanello.dispatcher.delivery;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLException;

/** The one place where an HTTP status or an error becomes a {@link DeliveryOutcome}. */
final class Outcomes {

    private Outcomes() {}

    private static final Set<Integer> ONLY_GONE = Set.of(410);
    private static final String BLOCKED = "blocked_address";
    private static final String UNBUILDABLE = "payload_unbuildable";

    static DeliveryOutcome ofStatus(int status) {
        return ofStatus(status, null, Instant.EPOCH, ONLY_GONE::contains);
    }

    /**
     * A status with its {@code Retry-After} header (seconds or an HTTP date), honoured on 429 and 503; a permanent
     * status (410, or one configured) is not retried.
     */
    static DeliveryOutcome ofStatus(int status, String retryAfter, Instant now, IntPredicate permanent) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status);
        }
        if (permanent.test(status)) {
            return new DeliveryOutcome.PermanentFailure(status, null);
        }
        Duration wait = status == 429 || status == 503 ? retryAfter(retryAfter, now) : null;
        return new DeliveryOutcome.RetryableFailure(status, null, wait);
    }

    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(
                        now,
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return until.isNegative() || until.isZero() ? null : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * A transport failure is worth retrying, its kind kept for the attempt record — except an endpoint that resolves
     * only to blocked addresses and a body that cannot be written, which no retry will fix.
     */
    static DeliveryOutcome ofError(Throwable error) {
        String kind = errorClass(error);
        return BLOCKED.equals(kind) || UNBUILDABLE.equals(kind)
                ? new DeliveryOutcome.PermanentFailure(null, kind)
                : new DeliveryOutcome.RetryableFailure(null, kind);
    }

    /** What the innermost cause said, for the attempt record: e.g. why a TLS handshake failed. At most 300 characters. */
    static String errorDetail(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    static String errorClass(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BlockedAddressException) {
                return BLOCKED;
            }
            if (cause instanceof UnbuildablePayloadException) {
                return UNBUILDABLE;
            }
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
