package io.campanello.dispatcher.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * What the parking lot knows of one partition of webhooks.parked: which records it has read, and which of them it
 * holds because their subscription was not active when it read them. A held record does not stop the partition: the
 * records behind it are read and delivered, and the held ones are read again (from their offset) once their
 * subscription is active or gone. Offsets only, never payloads: the topic keeps those. A new owner of the partition
 * starts from the {@link ParkingMarks} its last owner committed, so it skips what that one handled.
 */
final class ParkedPartition {

    /** The next offset never read; -1 before the first record. */
    private long next = -1;

    /** Held records, by offset: subscription id. */
    private final TreeMap<Long, String> held = new TreeMap<>();

    /** When each held record was parked (its timestamp), by offset. */
    private final Map<Long, Long> parkedAt = new HashMap<>();

    /** The same, per subscription: the offsets of its held records. */
    private final Map<String, TreeSet<Long>> heldPerSubscription = new HashMap<>();

    /** The last owner's marks, until this owner has read as far as it had; null then or when there were none. */
    private ParkingMarks restored;

    ParkedPartition() {}

    /** A partition taken over from an owner that committed these marks with its offset. */
    ParkedPartition(Optional<ParkingMarks> marks) {
        this.restored = marks.orElse(null);
    }

    /**
     * Whether this record was handled before (by this owner, or by the last one per its marks) and must be skipped.
     * A record whose subscription the last owner's marks could not all list is handled again (at least once).
     */
    boolean handled(long offset, String subscriptionId) {
        if (offset < next && !held.containsKey(offset)) {
            return true;
        }
        if (restored != null && offset < restored.next() && !held.containsKey(offset)) {
            if (subscriptionId == null) {
                return restored.complete();
            }
            Long from = restored.heldFrom().get(ParkingMarks.hash(subscriptionId));
            return from == null ? restored.complete() : offset < from;
        }
        return false;
    }

    /** Whether a record of this subscription before this offset is held: this one must wait behind it. */
    boolean heldBefore(String subscriptionId, long offset) {
        TreeSet<Long> offsets = heldPerSubscription.get(subscriptionId);
        return offsets != null && offsets.lower(offset) != null;
    }

    /** The record, parked at this time (epoch millis), waits for its subscription. */
    void hold(long offset, String subscriptionId, long parkedAtMillis) {
        held.put(offset, subscriptionId);
        parkedAt.put(offset, parkedAtMillis);
        heldPerSubscription
                .computeIfAbsent(subscriptionId, id -> new TreeSet<>())
                .add(offset);
        read(offset);
    }

    /** The record was handled (delivered, dead-lettered, set aside) or skipped as handled before. */
    void done(long offset) {
        String subscriptionId = held.remove(offset);
        parkedAt.remove(offset);
        if (subscriptionId != null) {
            heldPerSubscription.computeIfPresent(subscriptionId, (id, offsets) -> {
                offsets.remove(offset);
                return offsets.isEmpty() ? null : offsets;
            });
        }
        read(offset);
    }

    private void read(long offset) {
        next = Math.max(next, offset + 1);
        if (restored != null && next >= restored.next()) {
            restored = null;
        }
    }

    /**
     * The offset to commit: everything before it is handled. Empty before the first record, and while what the last
     * owner handled is being read again (a crash meanwhile starts over from the last owner's commit).
     */
    OptionalLong committable() {
        if (restored != null || next < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(held.isEmpty() ? next : held.firstKey());
    }

    /** What to commit with the offset, for the next owner and for {@link ParkedSubscriptions}. */
    ParkingMarks marks() {
        Map<String, Long> heldFrom = new HashMap<>();
        heldPerSubscription.forEach((subscriptionId, offsets) ->
                heldFrom.merge(ParkingMarks.hash(subscriptionId), offsets.first(), Math::min));
        return new ParkingMarks(Math.max(next, 0), heldFrom, true);
    }

    /**
     * The first held offset of a subscription that may go on now, where the partition must be read again from; told
     * each subscription and when its first held record was parked.
     */
    Optional<Long> firstReleased(BiPredicate<String, Long> mayGoOn) {
        return heldPerSubscription.entrySet().stream()
                .filter(entry -> mayGoOn.test(
                        entry.getKey(), parkedAt.get(entry.getValue().first())))
                .map(entry -> entry.getValue().first())
                .min(Long::compare);
    }

    /** Forgets held records below this offset (the topic no longer has them); returns how many. */
    int expireBefore(long offset) {
        List<Long> gone = List.copyOf(held.headMap(offset).keySet());
        gone.forEach(this::done);
        return gone.size();
    }

    int heldCount() {
        return held.size();
    }
}
