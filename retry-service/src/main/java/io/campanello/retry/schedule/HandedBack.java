package io.campanello.retry.schedule;

import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.SortedSet;

/**
 * The tasks of a tier partition handed back after its committed offset, written into the commit's metadata: a bit per
 * offset from the committed one, base64. Retries are jittered, so a task may be due before the one ahead of it; the
 * committed offset stays at the first task not handed back, and the next owner of the partition reads the ones after
 * it again — this tells it which of them not to hand back twice. Kept under Kafka's default limit for commit metadata
 * ({@code offset.metadata.max.bytes}, 4,096): offsets further than {@link #SPAN} after the committed one are left out,
 * and handed back again after a rebalance (at least once, as before).
 */
final class HandedBack {

    /** The most offsets after the committed one that the metadata describes (2,000 bytes, 2,668 in base64). */
    static final int SPAN = 16_000;

    private static final String PREFIX = "handed-back:";

    private HandedBack() {}

    /** The metadata for a commit at {@code committed}; empty when nothing after it was handed back. */
    static String metadata(long committed, SortedSet<Long> handedBack) {
        BitSet bits = new BitSet();
        for (long offset : handedBack.tailSet(committed)) {
            long distance = offset - committed;
            if (distance >= SPAN) {
                break;
            }
            bits.set((int) distance);
        }
        return bits.isEmpty() ? "" : PREFIX + Base64.getEncoder().encodeToString(bits.toByteArray());
    }

    /** The offsets a commit's metadata says were handed back; none when it says nothing (or something else). */
    static List<Long> offsets(long committed, String metadata) {
        List<Long> offsets = new ArrayList<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return offsets;
        }
        BitSet bits;
        try {
            bits = BitSet.valueOf(Base64.getDecoder().decode(metadata.substring(PREFIX.length())));
        } catch (IllegalArgumentException unreadable) {
            return offsets;
        }
        for (int i = bits.nextSetBit(0); i >= 0 && i < SPAN; i = bits.nextSetBit(i + 1)) {
            offsets.add(committed + i);
        }
        return offsets;
    }
}
