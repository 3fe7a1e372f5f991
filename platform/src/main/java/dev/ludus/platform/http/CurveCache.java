package dev.ludus.platform.http;

import dev.ludus.platform.store.Buckets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bucketed curves of ended runs, least recently used first out, bounded by the buckets held. Only ended runs
 * go in (their points can no longer change), so an entry is never stale; a deleted run's entries are never asked
 * for again (the curves endpoint answers 404 for it) and age out.
 */
final class CurveCache {

    record Key(long runId, String metric, int buckets, Buckets.Axis axis, boolean chunkAligned) {
    }

    private final long maxBuckets;
    private long held;
    private final LinkedHashMap<Key, Buckets> entries = new LinkedHashMap<>(256, 0.75f, true);

    CurveCache(long maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    synchronized Buckets get(Key key) {
        return entries.get(key);
    }

    synchronized void put(Key key, Buckets curve) {
        Buckets before = entries.put(key, curve);
        held += size(curve) - (before == null ? 0 : size(before));
        var it = entries.entrySet().iterator();
        while (held > maxBuckets && it.hasNext()) {
            Map.Entry<Key, Buckets> eldest = it.next();
            held -= size(eldest.getValue());
            it.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private static long size(Buckets b) {
        return Math.max(1, b.count().length);
    }
}
