package dev.ludus.envs.wrappers;

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
public final class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
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
}
