package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The batch's key table and the column-wise wire format, without a cluster (ClusterNetworkTest crosses one). */
class MetricBatchCodecTest {

    @Test
    void manyKeysEqualButNotIdenticalStringsAndSpecialValuesSurviveTheWire() {
        MetricBatch b = new MetricBatch(7, 1); // grows
        for (int i = 0; i < 5_000; i++) {
            // 20 keys (past the linear scan), half of them new String instances equal to an earlier key
            String key = "k/" + (i % 20);
            b.add(i % 2 == 0 ? key : new String(key), i, i % 7 == 0 ? Double.NaN : i * -0.5, 1_000_000L + i);
        }
        b.add("métrique/λ", 5_000, Double.NEGATIVE_INFINITY, 42);
        assertEquals(21, b.keyCount());
        assertEquals(5_001, b.size());

        MetricBatchCodec codec = new MetricBatchCodec();
        Buffer wire = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(wire, b);
        MetricBatch back = codec.decodeFromWire("prefix".length(), wire);

        assertEquals(7, back.runId());
        assertEquals(b.size(), back.size());
        assertEquals(b.keyCount(), back.keyCount());
        for (int i = 0; i < b.size(); i++) {
            assertEquals(b.key(i), back.key(i), "key of point " + i);
            assertEquals(b.keyIndex(i), back.keyIndex(i));
            assertEquals(b.step(i), back.step(i));
            assertEquals(Double.doubleToRawLongBits(b.value(i)), Double.doubleToRawLongBits(back.value(i)));
            assertEquals(b.wall(i), back.wall(i));
        }
        assertEquals("k/3", back.key(3));
        assertEquals(back.keyIndex(3), back.keyIndex(23)); // one table entry for equal keys
    }

    @Test
    void anEmptyBatchAndABadKeyIndex() {
        MetricBatchCodec codec = new MetricBatchCodec();
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, new MetricBatch(3, 4));
        MetricBatch empty = codec.decodeFromWire(0, wire);
        assertEquals(0, empty.size());
        assertEquals(0, empty.keyCount());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MetricBatch(1,
                new String[] {"a"}, new int[] {0, 1}, new long[2], new double[2], new long[2]));
        assertEquals("key index 1 outside the batch's 1 keys", e.getMessage());
    }
}
