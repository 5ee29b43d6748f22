package io.campanello.dispatcher.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the parking lot knows of one partition of webhooks.parked, written as the metadata of its committed offset so
 * that it outlives the instance: every record before {@code next} was read, and each subscription listed has held
 * records from its offset on (none of its records after that offset was delivered). Subscriptions are listed by a
 * hash of their id ({@link #hash}); a collision only makes a subscription look parked. Kafka keeps 4 KB of metadata
 * by default: when the list does not fit, {@code complete} is false and only what fits is listed.
 *
 * @param next the first offset not read yet
 * @param heldFrom per hashed subscription id, its first held offset
 * @param complete whether every subscription with held records is listed
 */
record ParkingMarks(long next, Map<String, Long> heldFrom, boolean complete) {

    /** Room left in Kafka's default 4,096 characters of offset metadata. */
    static final int MAX_LENGTH = 3_900;

    private static final String VERSION = "p1";

    ParkingMarks {
        heldFrom = Map.copyOf(heldFrom);
    }

    static String hash(String subscriptionId) {
        return Integer.toHexString(subscriptionId.hashCode());
    }

    boolean holds(String subscriptionId) {
        return heldFrom.containsKey(hash(subscriptionId));
    }

    /** {@code p1;<next>;<complete 1|0>;<hash>@<offset>,…} with offsets in base 36. */
    String encode() {
        StringBuilder held = new StringBuilder();
        boolean fits = complete;
        for (var entry : heldFrom.entrySet()) {
            String item = entry.getKey() + "@" + Long.toString(entry.getValue(), 36);
            if (held.length() + item.length() + 40 > MAX_LENGTH) {
                fits = false;
                break;
            }
            if (!held.isEmpty()) {
                held.append(',');
            }
            held.append(item);
        }
        return VERSION + ";" + Long.toString(next, 36) + ";" + (fits ? "1" : "0") + ";" + held;
    }

    /** The marks of a committed offset, or empty when it carries none (never written or by another version). */
    static Optional<ParkingMarks> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(VERSION + ";")) {
            return Optional.empty();
        }
        String[] parts = metadata.split(";", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            Map<String, Long> held = new HashMap<>();
            if (!parts[3].isEmpty()) {
                for (String item : parts[3].split(",")) {
                    int at = item.indexOf('@');
                    held.put(item.substring(0, at), Long.parseLong(item.substring(at + 1), 36));
                }
            }
            return Optional.of(new ParkingMarks(Long.parseLong(parts[1], 36), held, "1".equals(parts[2])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
