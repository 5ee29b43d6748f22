package io.campanello.console;

import java.util.List;
import java.util.Optional;

/**
 * Which service owns a path, and the path to ask it for. The history's paths under {@code /v1/subscriptions} and
 * {@code /v1/events} are matched before the services that own the rest of those paths.
 */
record Route(Service service, String path) {

    /** The prefix under which the inspector's own paths ({@code /bins/…}) are reached. */
    static final String INSPECTOR_PREFIX = "/inspector";

    private static final List<String> HISTORY_UNDER_SUBSCRIPTIONS = List.of("deliveries", "stats");

    /** The route of a request path (raw, as sent), or empty when no service owns it. */
    static Optional<Route> of(String path) {
        if (!isPlain(path)) {
            return Optional.empty();
        }
        String[] segments = path.substring(1).split("/", -1);
        if (segments.length >= 2 && segments[0].equals("v1")) {
            return Optional.ofNullable(ownerOf(segments)).map(service -> new Route(service, path));
        }
        if (path.startsWith(INSPECTOR_PREFIX + "/bins/")) {
            return Optional.of(new Route(Service.INSPECTOR, path.substring(INSPECTOR_PREFIX.length())));
        }
        return Optional.empty();
    }

    private static Service ownerOf(String[] segments) {
        String collection = segments[1];
        boolean subResource = segments.length == 4;
        switch (collection) {
            case "subscriptions":
                return subResource && HISTORY_UNDER_SUBSCRIPTIONS.contains(segments[3])
                        ? Service.HISTORY
                        : Service.SUBSCRIPTIONS;
            case "events":
                return subResource && segments[3].equals("deliveries") ? Service.HISTORY : Service.INGEST;
            case "event-types":
                return Service.INGEST;
            case "deliveries":
                return Service.HISTORY;
            case "dead-letters":
            case "replays":
                return Service.RETRY;
            default:
                return null;
        }
    }

    /** No dot segments and no encoded slashes or dots: a path that means the same to the console and the service. */
    private static boolean isPlain(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || lower.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }
}
