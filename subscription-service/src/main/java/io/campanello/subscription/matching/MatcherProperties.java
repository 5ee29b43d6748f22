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
 */
@ConfigurationProperties("campanello.matcher")
public record MatcherProperties(
        @DefaultValue("${java.io.tmpdir}/campanello-matcher")
        Path stateDir,

        @DefaultValue("false") boolean exactlyOnce,
        @DefaultValue("1s") Duration commitInterval) {}
