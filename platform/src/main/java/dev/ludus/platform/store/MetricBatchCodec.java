package dev.ludus.platform.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Event bus codec for {@link MetricBatch}: locally the batch is handed over as is (the sender no
 * longer touches it); over the wire (a clustered bus) the batch's few distinct keys are written once, as a
 * table, then its points column by column (key indices, steps, values, wall times), each column one bulk copy of
 * its primitive array: no per-point call on either side, and the receiver's batch is those columns.
 */
public final class MetricBatchCodec implements MessageCodec<MetricBatch, MetricBatch> {

    /** Wire bytes of one point: key index, step, value, wall time. */
    static final int POINT_BYTES = 4 + 8 + 8 + 8;

    @Override
    public void encodeToWire(Buffer buffer, MetricBatch b) {
        buffer.appendLong(b.runId()).appendInt(b.keyCount());
        for (int k = 0; k < b.keyCount(); k++) {
            byte[] bytes = b.keyAt(k).getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(bytes.length).appendBytes(bytes);
        }
        int n = b.size();
        buffer.appendInt(n);
        ByteBuffer columns = ByteBuffer.allocate(n * POINT_BYTES); // big-endian, as Buffer's own numbers
        columns.slice(0, 4 * n).asIntBuffer().put(b.keyColumn(), 0, n);
        columns.slice(4 * n, 8 * n).asLongBuffer().put(b.stepColumn(), 0, n);
        columns.slice(12 * n, 8 * n).asDoubleBuffer().put(b.valueColumn(), 0, n);
        columns.slice(20 * n, 8 * n).asLongBuffer().put(b.wallColumn(), 0, n);
        buffer.appendBytes(columns.array());
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
        ByteBuffer columns = ByteBuffer.wrap(buffer.getBytes(p, p + n * POINT_BYTES));
        int[] keyIndex = new int[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        long[] walls = new long[n];
        columns.slice(0, 4 * n).asIntBuffer().get(keyIndex);
        columns.slice(4 * n, 8 * n).asLongBuffer().get(steps);
        columns.slice(12 * n, 8 * n).asDoubleBuffer().get(values);
        columns.slice(20 * n, 8 * n).asLongBuffer().get(walls);
        return new MetricBatch(runId, keys, keyIndex, steps, values, walls);
    }

    @Override
    public MetricBatch transform(MetricBatch b) {
        return b;
    }

    @Override
    public String name() {
        return "ludus-metric-batch-2"; // a new wire format, a new name: an older member's batches are refused, not misread
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
