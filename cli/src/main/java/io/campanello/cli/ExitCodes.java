package io.campanello.cli;

/** What the {@code campanello} process exits with; listed in {@code --help} and in the module's README. */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;

    /** The API refused the request (4xx other than 401, 5xx), or a replay did not complete cleanly. */
    static final int REFUSED = 1;

    /** A usage error: picocli's own code for bad or missing options. */
    static final int USAGE = 2;

    /** The service could not be reached (connection refused, timeout). */
    static final int UNREACHABLE = 3;

    /** The API answered 401: no key, or a key it does not know. */
    static final int UNAUTHORIZED = 4;

    /** Ctrl-C while waiting for a replay: the shell's convention for SIGINT; the replay goes on server-side. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
