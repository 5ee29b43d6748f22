package io.campanello.history.record;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the delivery history ({@code campanello.history.*}).
 *
 * @param retention how long a delivery stays, counted from its first record
 * @param stateDir where the local copy of the stores lives (rebuilt from the changelog topics when lost)
 * @param advertisedAddress {@code host:port} on which other instances reach this one ({@code application.server});
 *     empty: {@code localhost} and this server's port
 * @param standbyReplicas hot copies of each partition's stores on other instances; 0 with a single instance
 * @param commitInterval how often progress is committed (and the stores flushed)
 * @param purgeInterval how often deliveries past the retention are removed
 * @param blockCache RocksDB block cache shared by every store of this instance (index and filter blocks included)
 * @param writeBuffers RocksDB write buffers (memtables) of every store together, counted against the block cache
 * @param recordCache Kafka Streams' cache in front of the deliveries store: the writes of one delivery within a commit
 *     interval (its task, then its attempt a few milliseconds later) reach RocksDB and the changelog once
 * @param maxScan index entries one page or one statistics call looks at, at most: a filter that matches few
 *     deliveries answers a short page with a cursor to go on, instead of scanning the whole history
 */
@Validated
@ConfigurationProperties("campanello.history")
public record HistoryProperties(
        @DefaultValue("7d") Duration retention,

        @DefaultValue("${java.io.tmpdir}/campanello-history")
        Path stateDir,

        @DefaultValue("") String advertisedAddress,
        @Min(0) @DefaultValue("1") int standbyReplicas,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue("1m") Duration purgeInterval,
        @DefaultValue("64MB") DataSize blockCache,
        @DefaultValue("16MB") DataSize writeBuffers,
        @DefaultValue("16MB") DataSize recordCache,
        @Min(100) @DefaultValue("20000") int maxScan) {}
