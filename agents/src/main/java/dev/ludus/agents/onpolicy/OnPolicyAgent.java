package dev.ludus.agents.onpolicy;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Normalization;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ppo} and {@code a2c} on the agent contract: Box observations, Discrete actions ({@code Integer}) or Box
 * actions ({@code double[]}). Converts the Trainer's per-env lists to the flat arrays {@link OnPolicy} works on and
 * reports each training phase's means: {@code train/policy_loss}, {@code train/value_loss}, {@code train/entropy},
 * {@code train/loss}, {@code train/explained_variance}, PPO's {@code train/approx_kl} and {@code train/clip_fraction},
 * and the gauges {@code train/lr} and (PPO) {@code train/clip_range}. With {@code normalize_obs} /
 * {@code normalize_reward} it normalises what the learner sees ({@link Normalization}) and keeps the statistics in its
 * model file.
 */
public final class OnPolicyAgent implements Agent<double[], Object>, dev.ludus.envs.state.Checkpointable {

    private final OnPolicy learner;
    private final Normalization normalization;
    private final int numEnvs;
    private final int obsDim;
    private final boolean discrete;
    private final int actionDim;
    // scratch, allocated once
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] ended;
    private final float[] nextObservations;
    private float[] evalObservations = new float[0];
    private float[] evalActions = new float[0];

    /** {@code algorithm}: ppo or a2c; the context's params were resolved against {@link OnPolicyConfig#params}. */
    public OnPolicyAgent(String algorithm, AgentContext context) {
        OnPolicyConfig config = OnPolicyConfig.of(algorithm, context.params());
        if (config.nEnvs() != context.numEnvs()) {
            throw new IllegalArgumentException("n_envs: the agent was given " + context.numEnvs() + " envs but n_envs is "
                + config.nEnvs());
        }
        if (!(context.observationSpace() instanceof Box obsSpace)) {
            throw new IllegalArgumentException(algorithm + " needs a Box observation space, got "
                + context.observationSpace());
        }
        numEnvs = config.nEnvs();
        obsDim = obsSpace.size();
        if (context.actionSpace() instanceof Discrete d) {
            discrete = true;
            learner = new OnPolicy(config, obsDim, d.n(), null, null, context.totalSteps(), context.random());
        } else {
            Box box = (Box) context.actionSpace();
            discrete = false;
            learner = new OnPolicy(config, obsDim, 0, box.low(), box.high(), context.totalSteps(), context.random());
        }
        actionDim = learner.actionDim();
        normalization = new Normalization(context.params(), numEnvs, obsDim, config.gamma());
        observations = new float[numEnvs * obsDim];
        actions = new float[numEnvs * actionDim];
        rewards = new float[numEnvs];
        terminated = new boolean[numEnvs];
        truncated = new boolean[numEnvs];
        ended = new boolean[numEnvs];
        nextObservations = new float[numEnvs * obsDim];
    }

    @Override
    public List<Object> act(List<double[]> obs, boolean explore) {
        int rows = obs.size();
        if (explore) {
            if (rows != numEnvs) {
                throw new IllegalArgumentException("observations: expected one per env (" + numEnvs + "), got " + rows);
            }
            flatten(obs, observations);
            normalization.observations(observations, rows, true);
            learner.act(observations, actions);
            return toActions(actions, rows);
        }
        if (evalObservations.length < rows * obsDim) {
            evalObservations = new float[rows * obsDim];
            evalActions = new float[rows * actionDim];
        }
        flatten(obs, evalObservations);
        normalization.observations(evalObservations, rows, false);
        learner.actDeterministic(evalObservations, rows, evalActions);
        return toActions(evalActions, rows);
    }

    private void flatten(List<double[]> obs, float[] into) {
        for (int r = 0; r < obs.size(); r++) {
            double[] o = obs.get(r);
            for (int i = 0; i < obsDim; i++) {
                into[r * obsDim + i] = (float) o[i];
            }
        }
    }

    private List<Object> toActions(float[] flat, int rows) {
        List<Object> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            if (discrete) {
                out.add((int) flat[r]);
            } else {
                double[] a = new double[actionDim];
                for (int i = 0; i < actionDim; i++) {
                    a[i] = flat[r * actionDim + i];
                }
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public void observe(List<Transition<double[], Object>> transitions, Metrics metrics) {
        if (transitions.size() != numEnvs) {
            throw new IllegalArgumentException("transitions: expected one per env (" + numEnvs + "), got "
                + transitions.size());
        }
        for (int e = 0; e < numEnvs; e++) {
            Transition<double[], Object> t = transitions.get(e);
            rewards[e] = (float) t.reward();
            terminated[e] = t.terminated();
            truncated[e] = t.truncated();
            double[] next = t.nextObservation();
            for (int i = 0; i < obsDim; i++) {
                nextObservations[e * obsDim + i] = (float) next[i];
            }
            ended[e] = terminated[e] || truncated[e];
        }
        normalization.observations(nextObservations, numEnvs, false);
        normalization.rewards(rewards, ended);
        // nextObservation is the final observation of an ended episode: the value bootstrap of a truncation reads
        // it, and GAE's bootstrap at the end of the rollout is masked for ended episodes, so it serves both
        OnPolicy.TrainStats stats = learner.observe(rewards, terminated, truncated, nextObservations, nextObservations);
        TrainingTally.report(stats, metrics);
    }

    /** The learner (tests, inspection). */
    public OnPolicy learner() {
        return learner;
    }

    /** The normalisation statistics (tests, inspection). */
    public Normalization normalization() {
        return normalization;
    }

    /** The normalisation statistics block first (only when a normaliser is on), then the networks. */
    @Override
    public void save(OutputStream out) throws IOException {
        normalization.save(out);
        learner.save(out);
    }

    /** Changes nothing unless both the statistics and every network fit this agent. */
    @Override
    public void load(InputStream in) throws IOException {
        DataInputStream data = Normalization.peekable(in);
        Normalization.Loaded statistics = normalization.readHead(data);
        learner.load(data);
        statistics.apply();
    }

    /** The learner's state and the normalisation statistics (this class's arrays are per-call scratch). */
    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        learner.writeState(out);
        normalization.writeState(out);
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        learner.readState(in);
        normalization.readState(in);
    }
}
