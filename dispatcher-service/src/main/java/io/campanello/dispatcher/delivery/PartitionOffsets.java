package io.campanello.dispatcher.delivery;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * One partition's records started and not yet finished, in order, and so the offset that may be committed: up to
 * the oldest unfinished one. Records finish in any order; a finished record after an unfinished one waits for it.
 */
final class PartitionOffsets {

    private final ArrayDeque<Long> started = new ArrayDeque<>();
    private final Set<Long> finishedEarly = new HashSet<>();
    private long toCommit = -1;
    private long committed = -1;

    void started(long offset) {
        started.addLast(offset);
    }

    /** Whether this offset was started here and has not finished (false after a hand-over to another instance). */
    boolean isStarted(long offset) {
        return !started.isEmpty() && offset >= started.peekFirst() && !finishedEarly.contains(offset);
    }

    void finished(long offset) {
        finishedEarly.add(offset);
        while (!started.isEmpty() && finishedEarly.remove(started.peekFirst())) {
            toCommit = started.pollFirst() + 1;
        }
    }

    /** The offset to commit (the next one to read after a restart), or -1 when nothing new finished since the last commit. */
    long toCommit() {
        return toCommit > committed ? toCommit : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    boolean idle() {
        return started.isEmpty();
    }

    int inFlight() {
        return started.size();
    }
}
