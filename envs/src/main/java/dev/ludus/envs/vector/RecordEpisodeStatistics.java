package dev.ludus.envs.vector;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Episode returns and lengths of a vector env's sub-envs (Gymnasium's vector
 * {@code RecordEpisodeStatistics}): after each step, {@link #episodeEnded()} marks the sub-envs whose
 * episode ended, with its undiscounted return, length and wall-clock seconds in
 * {@link #episodeReturns()}, {@link #episodeLengths()} and {@link #episodeSeconds()}; the last
 * {@code bufferLength} episodes (default 100) are kept in {@link #returnQueue()} and
 * {@link #lengthQueue()}. Autoreset rows (NEXT_STEP mode) are not counted. Put it inside reward
 * normalisation so it records the env's own rewards.
 */
public final class RecordEpisodeStatistics extends VectorWrapper {
    private final int bufferLength;
    private final double[] runningReturns;
    private final int[] runningLengths;
    private final long[] startNanos;
    private final boolean[] ended;
    private final double[] returns;
    private final int[] lengths;
    private final double[] seconds;
    private final ArrayDeque<Double> returnQueue = new ArrayDeque<>();
    private final ArrayDeque<Integer> lengthQueue = new ArrayDeque<>();
    private long episodeCount;

    public RecordEpisodeStatistics(VectorEnv env) {
        this(env, 100);
    }

    public RecordEpisodeStatistics(VectorEnv env, int bufferLength) {
        super(env);
        if (bufferLength <= 0) {
            throw new IllegalArgumentException("RecordEpisodeStatistics: bufferLength must be > 0, got " + bufferLength);
        }
        this.bufferLength = bufferLength;
        int n = env.numEnvs();
        runningReturns = new double[n];
        runningLengths = new int[n];
        startNanos = new long[n];
        ended = new boolean[n];
        returns = new double[n];
        lengths = new int[n];
        seconds = new double[n];
    }

    @Override
    protected void afterReset() {
        Arrays.fill(runningReturns, 0.0);
        Arrays.fill(runningLengths, 0);
        Arrays.fill(ended, false);
        Arrays.fill(startNanos, System.nanoTime());
    }

    @Override
    protected void afterStep() {
        double[] r = env.rewards();
        boolean[] term = env.terminated();
        boolean[] trunc = env.truncated();
        boolean[] reset = env.autoreset();
        for (int i = 0; i < ended.length; i++) {
            ended[i] = false;
            if (reset[i]) {
                // the new episode starts here (NEXT_STEP); its first observation is not a step
                runningReturns[i] = 0.0;
                runningLengths[i] = 0;
                startNanos[i] = System.nanoTime();
                continue;
            }
            runningReturns[i] += r[i];
            runningLengths[i]++;
            if (term[i] || trunc[i]) {
                long now = System.nanoTime();
                ended[i] = true;
                returns[i] = runningReturns[i];
                lengths[i] = runningLengths[i];
                seconds[i] = (now - startNanos[i]) / 1e9;
                record(returns[i], lengths[i]);
                runningReturns[i] = 0.0;
                runningLengths[i] = 0;
                startNanos[i] = now;
            }
        }
    }

    private void record(double episodeReturn, int length) {
        episodeCount++;
        returnQueue.addLast(episodeReturn);
        lengthQueue.addLast(length);
        if (returnQueue.size() > bufferLength) {
            returnQueue.removeFirst();
            lengthQueue.removeFirst();
        }
    }

    /** Which sub-envs ended an episode in the last step. */
    public boolean[] episodeEnded() {
        return ended;
    }

    /** Return of the episode each marked sub-env just ended (stale elsewhere). */
    public double[] episodeReturns() {
        return returns;
    }

    /** Length in steps of the episode each marked sub-env just ended. */
    public int[] episodeLengths() {
        return lengths;
    }

    /** Wall-clock seconds of the episode each marked sub-env just ended (Gymnasium's {@code t}). */
    public double[] episodeSeconds() {
        return seconds;
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
