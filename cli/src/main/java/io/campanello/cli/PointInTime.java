package io.campanello.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code --since} and {@code --until}: an ISO-8601 instant ({@code 2026-11-20T08:00:00Z}, or with an offset),
 * a date ({@code 2026-11-20}, midnight UTC), or how long ago ({@code 90s}, {@code 15m}, {@code 2h}, {@code 1d},
 * {@code 1w}).
 */
final class PointInTime {

    private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhdw])");
    private static final Map<String, Duration> UNITS = Map.of(
            "s", Duration.ofSeconds(1),
            "m", Duration.ofMinutes(1),
            "h", Duration.ofHours(1),
            "d", Duration.ofDays(1),
            "w", Duration.ofDays(7));

    private PointInTime() {}

    /** @throws IllegalArgumentException with a message for the user when the text is none of the forms */
    static Instant parse(String text, Clock clock) {
        String value = text.trim();
        var ago = AGO.matcher(value);
        if (ago.matches()) {
            Duration unit = UNITS.get(ago.group(2));
            return clock.instant().minus(unit.multipliedBy(Long.parseLong(ago.group(1))));
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use an ISO-8601 instant such as "
                    + "2026-11-20T08:00:00Z, a date, or how long ago such as 30m, 2h, 1d");
        }
    }
}
