package dev.ludus.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A learning agent, for any of the spaces its {@link AgentSpec} declares. The {@link Trainer} drives it over
 * {@code n} envs in lock-step (n = {@link AgentContext#numEnvs()}; 1 unless the agent declares an
 * {@code n_envs} param): collect → learn, as in Stable-Baselines3, one call of each per env step.
 *
 * <pre>{@code
 * List<A> actions = agent.act(observations, true);   // one per env
 * ... step every env ...
 * agent.observe(transitions, metrics);               // one per env; learns when its own schedule says so
 * }</pre>
 *
 * <p>Values: observations of a {@code Box} space are {@code double[]}, of a {@code Discrete} space
 * {@code Integer}; actions likewise ({@code Integer} for Discrete, {@code double[]} within [low, high] for Box).
 * Randomness comes only from the {@link java.util.SplittableRandom} in the {@link AgentContext}.
 *
 * @param <O> observation type
 * @param <A> action type
 */
public interface Agent<O, A> {

    /**
     * One action per observation ({@code observations.get(i)} is env i's). With {@code explore} the behaviour
     * policy (ε-greedy, sampling a Gaussian or Categorical policy); without it the deterministic policy used for
     * evaluation (greedy, the mean action), which must not change what the agent learns or its random stream
     * beyond what acting greedily needs.
     */
    List<A> act(List<O> observations, boolean explore);

    /**
     * Learns from one lock-step of all envs ({@code transitions.get(i)} is env i's, the action is what
     * {@link #act} returned for it). Each transition's {@code nextObservation} is the observation the step
     * produced — on an episode end the final one (bootstrap from it when {@code truncated}), not the reset
     * observation, which comes with the next {@link #act}. Reports what it learned to {@code metrics}
     * (names of docs/design.md §3: {@code train/loss}, {@code train/policy_loss}, ...).
     */
    void observe(List<Transition<O, A>> transitions, Metrics metrics);

    /**
     * Called before each evaluation episode (after the evaluation env's reset): an agent whose deterministic policy
     * remembers (a recurrent one) starts its evaluation memory afresh. Nothing by default.
     */
    default void beginEvaluationEpisode() {
    }

    /**
     * Writes everything needed to act as trained: parameters (network weights, Q-table) and any statistics
     * the agent owns (e.g. observation normalisation), in a versioned format.
     */
    void save(OutputStream out) throws IOException;

    /** Replaces the state written by {@link #save} from an agent of the same shape; a bad file says why. */
    void load(InputStream in) throws IOException;
}
