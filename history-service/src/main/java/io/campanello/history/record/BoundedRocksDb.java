package io.campanello.history.record;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of this process: one LRU block cache shared by all of them, holding their
 * index and filter blocks too, and the write buffers (memtables) counted against it by one write buffer manager.
 * Without this, each store of each partition takes its own cache and buffers and memory grows with partitions.
 * The sizes come from {@link #BLOCK_CACHE} and {@link #WRITE_BUFFERS} in the Streams configuration.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Streams configuration key: bytes of the shared block cache. */
    public static final String BLOCK_CACHE = "campanello.history.rocksdb.block-cache-bytes";

    /** Streams configuration key: bytes of all write buffers together. */
    public static final String WRITE_BUFFERS = "campanello.history.rocksdb.write-buffer-bytes";

    private static final long BLOCK_SIZE = 16 * 1024L;
    private static final int MEMTABLES = 2;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long cacheBytes = Long.parseLong(String.valueOf(configs.get(BLOCK_CACHE)));
        long bufferBytes = Long.parseLong(String.valueOf(configs.get(WRITE_BUFFERS)));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared(cacheBytes, bufferBytes));
        table.setBlockSize(BLOCK_SIZE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setTableFormatConfig(table);
    }

    private static synchronized Cache shared(long cacheBytes, long bufferBytes) {
        if (cache == null) {
            // Half of the cache is kept for index and filter blocks (high priority); the rest for data blocks.
            cache = new LRUCache(cacheBytes, -1, false, 0.5);
            writeBuffers = new WriteBufferManager(bufferBytes, cache);
        }
        return cache;
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: they live as long as the process.
    }
}
