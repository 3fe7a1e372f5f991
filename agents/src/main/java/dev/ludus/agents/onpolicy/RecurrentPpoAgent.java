package dev.ludus.agents.onpolicy;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ppo_lstm} on the agent contract: Box observations, Discrete actions. Converts the Trainer's per-env lists to
 * the flat arrays {@link RecurrentPpo} works on and reports PPO's training metrics. Evaluation acts on one env at a
 * time and carries the LSTM state through the episode ({@link #beginEvaluationEpisode} zeroes it).
 */
public final class RecurrentPpoAgent implements Agent<double[], Integer>, dev.ludus.envs.state.Checkpointable {
    private final RecurrentPpo learner;
    private final int numEnvs;
    private final int obsDim;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final float[] nextObservations;
    private final float[] evalObservation;

    public RecurrentPpoAgent(AgentContext context) {
        RecurrentPpoConfig config = RecurrentPpoConfig.of(context.params());
        if (config.nEnvs() != context.numEnvs()) {
            throw new IllegalArgumentException("n_envs: the agent was given " + context.numEnvs() + " envs but n_envs is "
                + config.nEnvs());
        }
        if (!(context.observationSpace() instanceof Box obsSpace)) {
            throw new IllegalArgumentException("ppo_lstm needs a Box observation space, got " + context.observationSpace());
        }
        if (!(context.actionSpace() instanceof Discrete d)) {
            throw new IllegalArgumentException("ppo_lstm needs a Discrete action space, got " + context.actionSpace());
        }
        numEnvs = config.nEnvs();
        obsDim = obsSpace.size();
        learner = new RecurrentPpo(config, obsDim, d.n(), context.totalSteps(), context.random());
        observations = new float[numEnvs * obsDim];
        actions = new float[numEnvs];
        rewards = new float[numEnvs];
        terminated = new boolean[numEnvs];
        truncated = new boolean[numEnvs];
        nextObservations = new float[numEnvs * obsDim];
        evalObservation = new float[obsDim];
    }

    @Override
    public List<Integer> act(List<double[]> obs, boolean explore) {
        int rows = obs.size();
        List<Integer> out = new ArrayList<>(rows);
        if (explore) {
            if (rows != numEnvs) {
                throw new IllegalArgumentException("observations: expected one per env (" + numEnvs + "), got " + rows);
            }
            for (int r = 0; r < rows; r++) {
                copy(obs.get(r), observations, r * obsDim);
            }
            learner.act(observations, actions);
            for (int r = 0; r < rows; r++) {
                out.add((int) actions[r]);
            }
            return out;
        }
        if (rows != 1) {
            // the evaluation state follows one episode
            throw new IllegalArgumentException("observations: a recurrent policy evaluates one env at a time, got " + rows);
        }
        copy(obs.get(0), evalObservation, 0);
        out.add(learner.actDeterministic(evalObservation));
        return out;
    }

    private void copy(double[] o, float[] into, int at) {
        for (int i = 0; i < obsDim; i++) {
            into[at + i] = (float) o[i];
        }
    }

    @Override
    public void beginEvaluationEpisode() {
        learner.beginEvaluationEpisode();
    }

    @Override
    public void observe(List<Transition<double[], Integer>> transitions, Metrics metrics) {
        if (transitions.size() != numEnvs) {
            throw new IllegalArgumentException("transitions: expected one per env (" + numEnvs + "), got "
                + transitions.size());
        }
        for (int e = 0; e < numEnvs; e++) {
            Transition<double[], Integer> t = transitions.get(e);
            rewards[e] = (float) t.reward();
            terminated[e] = t.terminated();
            truncated[e] = t.truncated();
            copy(t.nextObservation(), nextObservations, e * obsDim);
        }
        TrainingTally.report(learner.observe(rewards, terminated, truncated, nextObservations), metrics);
    }

    public RecurrentPpo learner() {
        return learner;
    }

    @Override
    public void save(OutputStream out) throws IOException {
        learner.save(out);
    }

    @Override
    public void load(InputStream in) throws IOException {
        learner.load(in);
    }

    /** The learner's state (this class's arrays are per-call scratch). */
    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        learner.writeState(out);
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        learner.readState(in);
    }
}
