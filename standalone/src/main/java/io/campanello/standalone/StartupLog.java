package io.campanello.standalone;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What the standalone says while it starts: one line per service as it comes up, above the quick start. Framework
 * loggers stay at WARN unless asked for more ({@code --verbose}: INFO; {@code CAMPANELLO_LOG_LEVEL}: any level), so
 * the first screen fits one terminal page.
 */
final class StartupLog {

    /** The system property (or environment variable) logback.xml reads the level from. */
    static final String LEVEL = "CAMPANELLO_LOG_LEVEL";

    /** The system property logback.xml reads the level of Kafka's loggers from. */
    static final String KAFKA_LEVEL = "CAMPANELLO_KAFKA_LOG_LEVEL";

    /**
     * Spring's switch for its logging system. The standalone turns it off: each service would otherwise reset
     * logback as it starts, and a broker thread that logs during the reset finds no appender and makes logback
     * print a warning of its own. Logback is configured once, from the standalone's logback.xml, which holds every
     * level.
     */
    static final String SPRING_LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    private static final List<String> QUIET = List.of("--spring.main.log-startup-info=false");

    private final PrintStream out;
    private final long started = System.nanoTime();

    StartupLog(PrintStream out) {
        this.out = out;
    }

    /**
     * Sets the levels before anything logs: {@code CAMPANELLO_LOG_LEVEL} when given, else INFO with {@code --verbose};
     * without either, frameworks log at WARN (Kafka's own broker and clients, whose warnings on one machine are
     * noise, at ERROR) and Campanello at INFO, without the services' start-up lines. Returns the arguments that
     * keep the services that quiet. Call it before anything logs: logback reads these properties once.
     */
    static List<String> configure(boolean verbose, String level) {
        System.setProperty(SPRING_LOGGING_SYSTEM, "none");
        if (level != null && !level.isBlank()) {
            System.setProperty(LEVEL, level.trim().toUpperCase(Locale.ROOT));
        } else if (verbose) {
            System.setProperty(LEVEL, "INFO");
        } else {
            return QUIET;
        }
        System.setProperty(KAFKA_LEVEL, "WARN");
        return List.of();
    }

    void up(String service, String where) {
        out.printf(Locale.ROOT, "  %-14s up   %-28s (%.1f s)%n", service, where, (System.nanoTime() - started) / 1e9);
    }
}
