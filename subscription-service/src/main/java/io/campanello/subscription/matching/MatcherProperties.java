package io.campanello.subscription.matching;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the matcher ({@code campanello.matcher.*}).
 *
 * @param stateDir where the matcher keeps its local copy of the per-subject memory (rebuilt from Kafka when lost)
 * @param standbyReplicas hot copies of each matcher task's memory kept on other instances ({@code
 *     num.standby.replicas}): a task taken over from a dead instance goes on at once instead of first reading its
 *     changelog; each copy costs the disk of the memory and reading its changelog. 0 with a single instance
 * @param exactlyOnce Kafka transactions around matching ({@code exactly_once_v2}): after a crash the memory, the
 *     tasks and the progress agree (no repeated or missed match); tasks become visible only at each commit, so
 *     latency grows by up to {@code commitInterval}; off by default (docs/cluster.md has the figures)
 * @param commitInterval how often progress is committed
 * @param filterMaxCost the cost units one filter evaluation may use (one per step, plus one per KiB of string and
 *     one per element of a list or map it produces); past it the evaluation is cut and counts as no match
 * @param filterMaxTime the longest one filter evaluation may run before it is cut
 * @param dedupeWindow how long the matcher remembers the ids of the events it matched: a copy of an event (a
 *     producer's retry with the same {@code Idempotency-Key} or {@code id}, a source record read again) accepted
 *     within this time of the first is dropped; a later one is matched again. Each id costs about 100 bytes of disk
 *     per copy of the store (the task and each standby) and of its changelog, per event accepted in the window
 */
@ConfigurationProperties("campanello.matcher")
public record MatcherProperties(
        @DefaultValue("${java.io.tmpdir}/campanello-matcher")
        Path stateDir,

        @DefaultValue("1") int standbyReplicas,
        @DefaultValue("false") boolean exactlyOnce,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue("2000") long filterMaxCost,
        @DefaultValue("50ms") Duration filterMaxTime,
        @DefaultValue("24h") Duration dedupeWindow) {

    public MatcherProperties {
        if (dedupeWindow.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("campanello.matcher.dedupe-window must be at least 1s");
        }
    }
}
