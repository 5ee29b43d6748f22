package io.campanello.subscription.matching;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the matcher ({@code campanello.matcher.*}).
 *
 * @param stateDir where the matcher keeps its local copy of the per-subject memory (rebuilt from Kafka when lost)
 * @param exactlyOnce Kafka transactions around matching: no duplicate tasks after a crash, but about 100 ms more
 *     latency per event; off by default (duplicates keep their delivery id, so receivers drop them)
 * @param commitInterval how often progress is committed
 * @param filterMaxCost the cost units one filter evaluation may use (one per step, plus one per KiB of string and
 *     one per element of a list or map it produces); past it the evaluation is cut and counts as no match
 * @param filterMaxTime the longest one filter evaluation may run before it is cut
 */
@ConfigurationProperties("campanello.matcher")
public record MatcherProperties(
        @DefaultValue("${java.io.tmpdir}/campanello-matcher")
        Path stateDir,

        @DefaultValue("false") boolean exactlyOnce,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue("2000") long filterMaxCost,
        @DefaultValue("50ms") Duration filterMaxTime) {}
