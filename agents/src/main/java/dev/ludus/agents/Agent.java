package dev.ludus.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A learning agent for discrete-action environments: small enough to implement in one class.
 *
 * <p>The {@link Trainer} drives it: {@code a = act(obs, true)}, step the env, then
 * {@code observe(obs, a, reward, next, terminated, truncated)}. The agent decides by itself when to
 * learn (replay, train frequency, target updates): {@code observe} returns what learning happened.
 * Randomness comes from a {@link java.util.SplittableRandom} the agent was created with.
 *
 * @param <O> observation type: {@code double[]} for Box spaces, {@code Integer} for Discrete ones
 */
public interface Agent<O> {

    /**
     * The action for {@code observation}: with {@code explore} the behaviour policy (e.g. ε-greedy at the
     * current schedule step), without it the greedy policy used for evaluation.
     */
    int act(O observation, boolean explore);

    /**
     * Learns from one env step. {@code terminated} means the next state is terminal (no bootstrap);
     * {@code truncated} means a time limit cut the episode, so the agent still bootstraps from
     * {@code nextObservation}. Returns {@link Update#NONE} when no gradient or table update happened.
     */
    Update observe(O observation, int action, double reward, O nextObservation, boolean terminated, boolean truncated);

    /** The current exploration rate of the behaviour policy. */
    double epsilon();

    /** Writes the learned parameters (network weights or Q-table) in a versioned format. */
    void save(OutputStream out) throws IOException;

    /** Replaces the learned parameters with ones written by {@link #save} from an agent of the same shape. */
    void load(InputStream in) throws IOException;

    /**
     * What one {@code observe} call learned.
     *
     * @param updates number of gradient (or table) updates made
     * @param lossSum sum of the losses of those updates (TD error squared for tabular agents)
     * @param qSum    sum of the mean Q(s, a) of the trained batches
     */
    record Update(int updates, double lossSum, double qSum) {
        public static final Update NONE = new Update(0, 0.0, 0.0);
    }
}
