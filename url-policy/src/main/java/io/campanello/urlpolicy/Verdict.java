package io.campanello.urlpolicy;

import java.util.Objects;

/** The outcome of a URL check: {@link Allowed}, or {@link Refused} with a reason code and a message fit for the caller. */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Refused {

    /** Whether the URL or host may be called. */
    boolean isAllowed();

    /** The URL may be called. */
    static Verdict allowed() {
        return new Allowed();
    }

    /** The URL must not be called, for the given reason. */
    static Verdict refused(Reason reason, String message) {
        return new Refused(reason, message);
    }

    /** The URL may be called. */
    record Allowed() implements Verdict {

        @Override
        public boolean isAllowed() {
            return true;
        }
    }

    /**
     * The URL must not be called. The message names the rule that was broken, never the URL's path, query or
     * credentials, nor the addresses a host resolved to.
     */
    record Refused(Reason reason, String message) implements Verdict {

        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean isAllowed() {
            return false;
        }
    }
}
