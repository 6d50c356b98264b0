package dev.vigil.tsdb.query;

import dev.vigil.tsdb.chunkenc.ChunkIterator;
import java.util.function.Supplier;

/**
 * One chunk of a series as a reader sees it: its time bounds and a way to decode it on demand.
 *
 * @param minTime first timestamp in the chunk (ms)
 * @param maxTime last timestamp in the chunk (ms)
 * @param loader decodes the chunk; called only when the iterator reaches it
 */
public record ChunkMeta(long minTime, long maxTime, Supplier<ChunkIterator> loader) {}
