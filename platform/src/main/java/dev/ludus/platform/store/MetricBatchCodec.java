package dev.ludus.platform.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Event bus codec for {@link MetricBatch}: locally the batch is handed over as is (the sender no
 * longer touches it); over the wire (a clustered bus) the batch's few distinct keys are written once, as a
 * table, and each point as its key's index, step, value and wall time. A trial logs a handful of keys in
 * thousands of points per batch: writing each point's key as text cost a UTF-8 encoding and a String per
 * point on each side (and a fresh hash for every point in the store's per-key maps).
 */
public final class MetricBatchCodec implements MessageCodec<MetricBatch, MetricBatch> {

    @Override
    public void encodeToWire(Buffer buffer, MetricBatch b) {
        Map<String, Integer> index = new HashMap<>();
        int[] keyOf = new int[b.size()];
        for (int i = 0; i < b.size(); i++) {
            keyOf[i] = index.computeIfAbsent(b.key(i), k -> index.size());
        }
        String[] keys = new String[index.size()];
        index.forEach((k, i) -> keys[i] = k);
        buffer.appendLong(b.runId()).appendInt(keys.length);
        for (String key : keys) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(bytes.length).appendBytes(bytes);
        }
        buffer.appendInt(b.size());
        for (int i = 0; i < b.size(); i++) {
            buffer.appendInt(keyOf[i]).appendLong(b.step(i)).appendDouble(b.value(i)).appendLong(b.wall(i));
        }
    }

    @Override
    public MetricBatch decodeFromWire(int pos, Buffer buffer) {
        long runId = buffer.getLong(pos);
        int p = pos + 8;
        String[] keys = new String[buffer.getInt(p)];
        p += 4;
        for (int k = 0; k < keys.length; k++) {
            int len = buffer.getInt(p);
            keys[k] = new String(buffer.getBytes(p + 4, p + 4 + len), StandardCharsets.UTF_8);
            p += 4 + len;
        }
        int n = buffer.getInt(p);
        p += 4;
        MetricBatch b = new MetricBatch(runId, n);
        for (int i = 0; i < n; i++) {
            b.add(keys[buffer.getInt(p)], buffer.getLong(p + 4), buffer.getDouble(p + 12), buffer.getLong(p + 20));
            p += 28;
        }
        return b;
    }

    @Override
    public MetricBatch transform(MetricBatch b) {
        return b;
    }

    @Override
    public String name() {
        return "ludus-metric-batch";
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
