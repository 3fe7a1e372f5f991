package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gymnasium's {@code RecordEpisodeStatistics}: the step that ends an episode carries
 * {@code info["episode"] = {"r": return, "l": length, "t": seconds}}; the last {@code bufferLength}
 * (default 100) returns and lengths are kept in {@link #returnQueue()} / {@link #lengthQueue()}.
 */
public final class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> implements Checkpointable {
    /** The info key, as in Gymnasium. */
    public static final String EPISODE = "episode";

    private final int bufferLength;
    private final ArrayDeque<Double> returnQueue = new ArrayDeque<>();
    private final ArrayDeque<Integer> lengthQueue = new ArrayDeque<>();
    private double episodeReturn;
    private int episodeLength;
    private long startNanos;
    private long episodeCount;

    public RecordEpisodeStatistics(Env<O, A> env) {
        this(env, 100);
    }

    public RecordEpisodeStatistics(Env<O, A> env, int bufferLength) {
        super(env);
        if (bufferLength <= 0) {
            throw new IllegalArgumentException("RecordEpisodeStatistics: bufferLength must be > 0, got " + bufferLength);
        }
        this.bufferLength = bufferLength;
    }

    @Override
    public Reset<O> reset(long seed) {
        Reset<O> r = env.reset(seed);
        episodeReturn = 0;
        episodeLength = 0;
        startNanos = System.nanoTime();
        return r;
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        episodeReturn += s.reward();
        episodeLength++;
        if (!s.done()) {
            return s;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        episodeCount++;
        returnQueue.addLast(episodeReturn);
        lengthQueue.addLast(episodeLength);
        if (returnQueue.size() > bufferLength) {
            returnQueue.removeFirst();
            lengthQueue.removeFirst();
        }
        Map<String, Object> info = new HashMap<>(s.info());
        info.put(EPISODE, Map.of("r", episodeReturn, "l", episodeLength, "t", seconds));
        return new Step<>(s.observation(), s.reward(), s.terminated(), s.truncated(), Map.copyOf(info));
    }

    /** Episodes ended since construction. */
    public long episodeCount() {
        return episodeCount;
    }

    /** Returns of the last {@code bufferLength} episodes, oldest first. */
    public List<Double> returnQueue() {
        return List.copyOf(returnQueue);
    }

    /** Lengths of the last {@code bufferLength} episodes, oldest first. */
    public List<Integer> lengthQueue() {
        return List.copyOf(lengthQueue);
    }

    /** The episode so far and the recent queues; the episode's wall time restarts from its elapsed part. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "RecordEpisodeStatistics");
        out.writeDouble(episodeReturn);
        out.writeInt(episodeLength);
        out.writeLong(System.nanoTime() - startNanos);
        out.writeLong(episodeCount);
        out.writeInt(returnQueue.size());
        java.util.Iterator<Integer> lengths = lengthQueue.iterator();
        for (double r : returnQueue) {
            out.writeDouble(r);
            out.writeInt(lengths.next());
        }
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "RecordEpisodeStatistics");
        episodeReturn = in.readDouble();
        episodeLength = in.readInt();
        startNanos = System.nanoTime() - in.readLong();
        episodeCount = in.readLong();
        int size = in.readInt();
        returnQueue.clear();
        lengthQueue.clear();
        for (int i = 0; i < size; i++) {
            returnQueue.addLast(in.readDouble());
            lengthQueue.addLast(in.readInt());
        }
        readWrappedState(in);
    }
}
