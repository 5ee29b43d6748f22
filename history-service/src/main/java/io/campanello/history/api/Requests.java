package io.campanello.history.api;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.DeliveryStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.convert.DurationStyle;

/** The checks of the history API's parameters, each answering 400 with its own code. */
final class Requests {

    static final int MAX_LIMIT = 1000;
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    private Requests() {}

    /** The tenant a call covers: a tenant key its own; an admin key the one it names, or every tenant (null). */
    static String scope(Tenant caller, String chosenTenant) {
        return caller.admin() && chosenTenant == null ? null : caller.id();
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_request", "'limit' is between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    static String id(String prefix, String id, String what) {
        if (!Ids.isValid(prefix, id)) {
            throw ApiException.badRequest("invalid_id", "'" + id + "' is not " + what + " id (" + prefix + "…)");
        }
        return id;
    }

    static DeliveryStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeliveryStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "invalid_status",
                    "'status' is one of "
                            + Arrays.stream(DeliveryStatus.values())
                                    .map(value -> value.name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(", ")));
        }
    }

    static Duration window(String window) {
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(window);
        } catch (IllegalArgumentException e) {
            throw invalidWindow();
        }
        if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(MAX_WINDOW) > 0) {
            throw invalidWindow();
        }
        return parsed;
    }

    private static ApiException invalidWindow() {
        return ApiException.badRequest(
                "invalid_window", "'window' is a duration such as 15m, 1h or 7d, at most " + MAX_WINDOW.toDays() + "d");
    }
}
