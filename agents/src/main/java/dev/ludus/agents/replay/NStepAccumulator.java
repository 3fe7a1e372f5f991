package dev.ludus.agents.replay;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Turns single env steps into n-step transitions
 * {@code (s_t, a_t, Σ_{i<k} γ^i r_{t+i}, s_{t+k}, discount)} for a {@link Replay}, with {@code k = n}
 * in mid-episode and {@code k < n} for the last steps of an episode. {@code discount} is {@code γ^k},
 * or 0 if the episode <em>terminated</em>; a <em>truncated</em> episode (time limit) keeps {@code γ^k}
 * so the agent bootstraps from the last observation, as it should (SB3 issue #284).
 */
public final class NStepAccumulator implements Checkpointable {
    private final int n;
    private final int obsDim;
    private final double gamma;
    private final Replay sink;
    private final float[] observations;
    private final int[] actions;
    private final double[] rewards;
    private final float[] scratch;
    private int start;
    private int count;

    public NStepAccumulator(int n, int obsDim, double gamma, Replay sink) {
        if (n < 1) {
            throw new IllegalArgumentException("n_step: must be >= 1, got " + n);
        }
        this.n = n;
        this.obsDim = obsDim;
        this.gamma = gamma;
        this.sink = sink;
        observations = new float[n * obsDim];
        actions = new int[n];
        rewards = new double[n];
        scratch = new float[obsDim];
    }

    /** Adds one env step; emits the transitions it completes. */
    public void add(float[] observation, int action, double reward, float[] nextObservation,
                    boolean terminated, boolean truncated) {
        if (n == 1) {
            sink.add(observation, action, reward, nextObservation, terminated ? 0.0 : gamma);
            return;
        }
        int slot = (start + count) % n;
        System.arraycopy(observation, 0, observations, slot * obsDim, obsDim);
        actions[slot] = action;
        rewards[slot] = reward;
        count++;
        if (terminated || truncated) {
            while (count > 0) {
                emitOldest(nextObservation, terminated);
            }
        } else if (count == n) {
            emitOldest(nextObservation, false);
        }
    }

    private void emitOldest(float[] nextObservation, boolean terminated) {
        double sum = 0;
        double discount = 1;
        for (int i = 0; i < count; i++) {
            sum += discount * rewards[(start + i) % n];
            discount *= gamma;
        }
        System.arraycopy(observations, start * obsDim, scratch, 0, obsDim);
        sink.add(scratch, actions[start], sum, nextObservation, terminated ? 0.0 : discount);
        start = (start + 1) % n;
        count--;
    }

    /** Steps held back, waiting for their n-step return. */
    public int pending() {
        return count;
    }

    /** The steps held back for their n-step return (not the buffer they go to: its owner writes that). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "NStepAccumulator " + n);
        StateIO.floats(out, observations);
        StateIO.ints(out, actions);
        StateIO.doubles(out, rewards);
        out.writeInt(start);
        out.writeInt(count);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "NStepAccumulator " + n);
        StateIO.floats(in, observations);
        StateIO.ints(in, actions);
        StateIO.doubles(in, rewards);
        start = in.readInt();
        count = in.readInt();
    }
}
