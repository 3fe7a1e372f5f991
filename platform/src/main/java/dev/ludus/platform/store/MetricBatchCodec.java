package dev.ludus.platform.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event bus codec for {@link MetricBatch}: locally the batch is handed over as is (the sender no
 * longer touches it); over the wire (a clustered bus) it is written column by column.
 */
public final class MetricBatchCodec implements MessageCodec<MetricBatch, MetricBatch> {

    @Override
    public void encodeToWire(Buffer buffer, MetricBatch b) {
        buffer.appendLong(b.runId()).appendInt(b.size());
        for (int i = 0; i < b.size(); i++) {
            byte[] key = b.key(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            buffer.appendInt(key.length).appendBytes(key).appendLong(b.step(i)).appendDouble(b.value(i))
                    .appendLong(b.wall(i));
        }
    }

    @Override
    public MetricBatch decodeFromWire(int pos, Buffer buffer) {
        long runId = buffer.getLong(pos);
        int n = buffer.getInt(pos + 8);
        int p = pos + 12;
        MetricBatch b = new MetricBatch(runId, n);
        for (int i = 0; i < n; i++) {
            int len = buffer.getInt(p);
            String key = buffer.getString(p + 4, p + 4 + len, "UTF-8");
            p += 4 + len;
            b.add(key, buffer.getLong(p), buffer.getDouble(p + 8), buffer.getLong(p + 16));
            p += 24;
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
