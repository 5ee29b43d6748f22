package io.campanello.history.record;

import java.time.Instant;

/**
 * Keys of the index store. Times are written as 19 digits so that keys sort as times do: a subscription's log
 * counts down ({@code Long.MAX_VALUE - millis}), so a forward range scan reads it newest first.
 *
 * <ul>
 *   <li>{@code s/<subscription>/<countdown>/<delivery>} — a subscription's log
 *   <li>{@code e/<event>/<delivery>} — the deliveries of an event
 *   <li>{@code t/<millis>/<delivery>} — every delivery by age, for the purge
 * </ul>
 */
public final class HistoryKeys {

    /** Sorts after every character of an id, a digit or a slash: the upper end of a prefix range. */
    static final String END = "~";

    private HistoryKeys() {}

    static String subscription(String subscriptionId, Instant createdAt, String deliveryId) {
        return subscriptionPrefix(subscriptionId) + countdown(createdAt) + "/" + deliveryId;
    }

    /** Where a subscription's log starts, newest first. */
    public static String subscriptionPrefix(String subscriptionId) {
        return "s/" + subscriptionId + "/";
    }

    /** The position in a subscription's log of the deliveries created at {@code time}. */
    public static String countdown(Instant time) {
        return nineteenDigits(Long.MAX_VALUE - time.toEpochMilli());
    }

    static String event(String eventId, String deliveryId) {
        return eventPrefix(eventId) + deliveryId;
    }

    public static String eventPrefix(String eventId) {
        return "e/" + eventId + "/";
    }

    static String age(Instant createdAt, String deliveryId) {
        return agePrefix() + nineteenDigits(createdAt.toEpochMilli()) + "/" + deliveryId;
    }

    /** A non-negative number as 19 digits, zeros in front (String.format costs more than the rest of an update). */
    private static String nineteenDigits(long value) {
        String digits = Long.toString(value);
        return "0".repeat(19 - digits.length()) + digits;
    }

    static String agePrefix() {
        return "t/";
    }

    /** The delivery id at the end of an index key. */
    public static String deliveryOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
