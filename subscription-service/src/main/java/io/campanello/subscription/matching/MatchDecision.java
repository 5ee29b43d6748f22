package io.campanello.subscription.matching;

import io.campanello.schemas.v1.MatchMode;

/**
 * Whether a matching event is delivered, by mode, given what was remembered for its subject: the seed's
 * "every time the criteria are met", "once per element", and firing when the criteria become true.
 *
 * @param deliver whether this event is delivered
 * @param remember what to remember for the subject now; null to leave the memory as it is
 */
record MatchDecision(boolean deliver, String remember) {

    /** Remembered for a subject whose event matched (ONCE_PER_SUBJECT: has fired; ON_TRANSITION: filter true). */
    static final String TRUE = "1";

    /** Remembered for a subject whose last event did not match (ON_TRANSITION). */
    static final String FALSE = "0";

    static MatchDecision decide(MatchMode mode, boolean matches, String remembered) {
        switch (mode) {
            case ONCE_PER_SUBJECT:
                if (TRUE.equals(remembered) || !matches) {
                    return new MatchDecision(false, null);
                }
                return new MatchDecision(true, TRUE);
            case ON_TRANSITION:
                // Fires when the filter turns true: on the first match, and again after it was false.
                return new MatchDecision(matches && !TRUE.equals(remembered), matches ? TRUE : FALSE);
            case EVERY_TIME:
            default:
                return new MatchDecision(matches, null);
        }
    }

    /** Whether the mode needs a memory per subject. */
    static boolean remembers(MatchMode mode) {
        return mode != MatchMode.EVERY_TIME;
    }
}
