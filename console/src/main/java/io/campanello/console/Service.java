package io.campanello.console;

import java.util.Locale;

/** The services the console forwards to, named as in {@code campanello.console.services.*}. */
enum Service {
    /** Subscriptions, their lifecycle and health. */
    SUBSCRIPTIONS,
    /** Events and the event-type catalog. */
    INGEST,
    /** Dead letters and replays. */
    RETRY,
    /** The delivery history and its statistics. */
    HISTORY,
    /** The standalone's local receiver and its bins. */
    INSPECTOR;

    String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
