package io.campanello.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Campanello's ids carry a prefix that says what they name, so a log line explains itself and one cannot be
 * mistaken for another: {@code evt_} events, {@code sub_} subscriptions, {@code dlv_} deliveries.
 */
public final class Ids {

    public static final String EVENT = "evt_";
    public static final String SUBSCRIPTION = "sub_";
    public static final String DELIVERY = "dlv_";
    public static final String REPLAY = "rpl_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final int RANDOM_BYTES = 12;

    private Ids() {}

    public static String newEventId() {
        return EVENT + random();
    }

    /**
     * An event id derived from what names the event (e.g. the producer's id and source, or a source record's
     * coordinates), so that the same event accepted twice has one id, and so one {@code webhook-id} per endpoint.
     */
    public static String eventIdOf(String... names) {
        return EVENT + digest(String.join("\u0000", names));
    }

    public static String newReplayId() {
        return REPLAY + random();
    }

    public static String newSubscriptionId() {
        return SUBSCRIPTION + random();
    }

    /**
     * The id of the delivery of one event to one subscription. It is derived, not random, so that matching the
     * same event again (after a crash) yields the same {@code webhook-id} and receivers drop the duplicate.
     */
    public static String deliveryId(String eventId, String subscriptionId) {
        return DELIVERY + digest(eventId + "/" + subscriptionId);
    }

    private static String digest(String names) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(names.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, RANDOM_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether {@code id} is a well-formed id with the given prefix. */
    public static boolean isValid(String prefix, String id) {
        return id != null
                && id.startsWith(prefix)
                && id.length() == prefix.length() + 2 * RANDOM_BYTES
                && id.substring(prefix.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static String random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
