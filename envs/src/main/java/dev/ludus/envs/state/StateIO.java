package dev.ludus.envs.state;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed arrays and checked tags for {@link Checkpointable} states. */
public final class StateIO {

    private StateIO() {
    }

    /** Writes a tag naming the state that follows, so reading the wrong state fails clearly instead of silently. */
    public static void tag(DataOutputStream out, String what) throws IOException {
        out.writeUTF(what);
    }

    public static void expect(DataInputStream in, String what) throws IOException {
        String found = in.readUTF();
        if (!found.equals(what)) {
            throw new IOException("checkpoint holds the state of " + found + " where " + what + " was expected");
        }
    }

    public static void random(DataOutputStream out, SplitMixRandom rng) throws IOException {
        long[] s = rng.state();
        out.writeLong(s[0]);
        out.writeLong(s[1]);
    }

    /** Restores {@code rng} in place (fields holding it stay valid). */
    public static void random(DataInputStream in, SplitMixRandom rng) throws IOException {
        long[] s = {in.readLong(), in.readLong()};
        try {
            rng.setState(s);
        } catch (IllegalArgumentException e) {
            throw new IOException("random stream: " + e.getMessage(), e);
        }
    }

    public static SplitMixRandom random(DataInputStream in) throws IOException {
        return SplitMixRandom.restore(new long[] {in.readLong(), in.readLong()});
    }

    public static void doubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    /** Reads into {@code into}, whose length must match. */
    public static void doubles(DataInputStream in, double[] into) throws IOException {
        length(in, into.length, "double");
        for (int i = 0; i < into.length; i++) {
            into[i] = in.readDouble();
        }
    }

    public static double[] doubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    public static void floats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    public static void floats(DataInputStream in, float[] into) throws IOException {
        length(in, into.length, "float");
        for (int i = 0; i < into.length; i++) {
            into[i] = in.readFloat();
        }
    }

    public static void ints(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    public static void ints(DataInputStream in, int[] into) throws IOException {
        length(in, into.length, "int");
        for (int i = 0; i < into.length; i++) {
            into[i] = in.readInt();
        }
    }

    public static void longs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static void longs(DataInputStream in, long[] into) throws IOException {
        length(in, into.length, "long");
        for (int i = 0; i < into.length; i++) {
            into[i] = in.readLong();
        }
    }

    public static void booleans(DataOutputStream out, boolean[] values) throws IOException {
        out.writeInt(values.length);
        for (boolean v : values) {
            out.writeBoolean(v);
        }
    }

    public static void booleans(DataInputStream in, boolean[] into) throws IOException {
        length(in, into.length, "boolean");
        for (int i = 0; i < into.length; i++) {
            into[i] = in.readBoolean();
        }
    }

    private static void length(DataInputStream in, int expected, String type) throws IOException {
        int length = in.readInt();
        if (length != expected) {
            throw new IOException("checkpoint holds " + length + " " + type + "s where " + expected + " were expected");
        }
    }

    /** The first {@code length} floats of {@code values} in bulk (replay buffers hold millions). */
    public static void floats(DataOutputStream out, float[] values, int length) throws IOException {
        out.writeInt(length);
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < length; ) {
            chunk.clear();
            int m = Math.min(length - i, chunk.capacity() / 4);
            chunk.asFloatBuffer().put(values, i, m);
            out.write(chunk.array(), 0, m * 4);
            i += m;
        }
    }

    /** Reads a {@link #floats(DataOutputStream, float[], int)} into the start of {@code into}; returns the count. */
    public static int floatsPrefix(DataInputStream in, float[] into) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > into.length) {
            throw new IOException("checkpoint holds " + length + " floats where at most " + into.length + " fit");
        }
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < length; ) {
            int m = Math.min(length - i, chunk.length / 4);
            in.readFully(chunk, 0, m * 4);
            java.nio.ByteBuffer.wrap(chunk, 0, m * 4).asFloatBuffer().get(into, i, m);
            i += m;
        }
        return length;
    }
}
