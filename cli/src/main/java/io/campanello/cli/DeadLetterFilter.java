package io.campanello.cli;

import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** Which dead letters a command is about: the options {@code dlq list} and {@code dlq replay} share. */
final class DeadLetterFilter {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--subscription", paramLabel = "ID", description = "Only this subscription's (sub_…).")
    private String subscription;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type.")
    private String type;

    @Option(
            names = "--reason",
            paramLabel = "REASON",
            description = "Only this reason: exhausted, permanent_status, subscription_deleted, "
                    + "subscription_disabled, unreadable, parked_too_long.")
    private String reason;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Dead since: an ISO-8601 instant, a date, or how long ago (30m, 2h, 1d, 1w).")
    private String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Dead before: as for --since.")
    private String until;

    /** Adds the filter as query parameters, with times as ISO instants. */
    QueryString addTo(QueryString query, Clock clock) {
        return query.add("subscription", subscription)
                .add("type", type)
                .add("reason", reason)
                .add("since", instant("--since", since, clock))
                .add("until", instant("--until", until, clock));
    }

    /** The filter as the replay API takes it; absent options are left out. */
    ObjectNode toJson(Clock clock) {
        ObjectNode filter = Json.object();
        putIfPresent(filter, "subscription", subscription);
        putIfPresent(filter, "type", type);
        putIfPresent(filter, "reason", reason);
        Instant from = instant("--since", since, clock);
        Instant to = instant("--until", until, clock);
        putIfPresent(filter, "since", from == null ? null : from.toString());
        putIfPresent(filter, "until", to == null ? null : to.toString());
        return filter;
    }

    private Instant instant(String option, String value, Clock clock) {
        if (value == null) {
            return null;
        }
        try {
            return PointInTime.parse(value, clock);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
