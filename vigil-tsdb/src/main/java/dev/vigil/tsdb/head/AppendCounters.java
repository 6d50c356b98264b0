package dev.vigil.tsdb.head;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters a head's appenders add to (the store exposes them as {@code vigil_tsdb_*}). Striped
 * adders, so commits on many threads do not contend.
 *
 * @param appended samples the head accepted at commit
 * @param outOfOrder samples refused as out of order, out of bounds or too far ahead
 * @param duplicate samples refused because another value is stored at their timestamp
 */
public record AppendCounters(LongAdder appended, LongAdder outOfOrder, LongAdder duplicate) {}
