package dev.ludus.agents.dqn;

import static dev.ludus.agents.dqn.DqnConfig.BATCH_SIZE;
import static dev.ludus.agents.dqn.DqnConfig.BUFFER_SIZE;
import static dev.ludus.agents.dqn.DqnConfig.DOUBLE_Q;
import static dev.ludus.agents.dqn.DqnConfig.DUELING;
import static dev.ludus.agents.dqn.DqnConfig.EPSILON_END;
import static dev.ludus.agents.dqn.DqnConfig.EPSILON_SCHEDULE;
import static dev.ludus.agents.dqn.DqnConfig.EPSILON_START;
import static dev.ludus.agents.dqn.DqnConfig.EXPLORATION_FRACTION;
import static dev.ludus.agents.dqn.DqnConfig.GAMMA;
import static dev.ludus.agents.dqn.DqnConfig.GRADIENT_STEPS;
import static dev.ludus.agents.dqn.DqnConfig.HIDDEN;
import static dev.ludus.agents.dqn.DqnConfig.INIT;
import static dev.ludus.agents.dqn.DqnConfig.LEARNING_STARTS;
import static dev.ludus.agents.dqn.DqnConfig.LOSS;
import static dev.ludus.agents.dqn.DqnConfig.LR;
import static dev.ludus.agents.dqn.DqnConfig.MAX_GRAD_NORM;
import static dev.ludus.agents.dqn.DqnConfig.N_STEP;
import static dev.ludus.agents.dqn.DqnConfig.OPTIMIZER;
import static dev.ludus.agents.dqn.DqnConfig.PER_ALPHA;
import static dev.ludus.agents.dqn.DqnConfig.PER_BETA;
import static dev.ludus.agents.dqn.DqnConfig.PER_EPS;
import static dev.ludus.agents.dqn.DqnConfig.PRIORITIZED;
import static dev.ludus.agents.dqn.DqnConfig.TARGET_UPDATE_INTERVAL;
import static dev.ludus.agents.dqn.DqnConfig.TAU;
import static dev.ludus.agents.dqn.DqnConfig.THREADS;
import static dev.ludus.agents.dqn.DqnConfig.TRAIN_FREQ;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Schedule;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.agents.replay.Batch;
import dev.ludus.agents.replay.NStepAccumulator;
import dev.ludus.agents.replay.PrioritizedReplayBuffer;
import dev.ludus.agents.replay.Replay;
import dev.ludus.agents.replay.ReplayBuffer;
import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Deep Q-learning (Mnih et al. 2015) with the usual extensions, each a switch of {@link DqnConfig}:
 * double DQN, dueling heads, proportional prioritised replay, n-step returns, Huber/MSE, hard or soft
 * target updates. Reads top to bottom: acting, storing, training, the TD update.
 *
 * <p>The Q-network is a plain MLP. With dueling heads its last layer has {@code 1 + |A|} linear outputs
 * {@code [V, A_1..A_n]} on the shared trunk and this class forms {@code Q = V + A − mean(A)} and
 * back-propagates through that aggregation itself ({@code dV = Σ_a dQ_a},
 * {@code dA_j = dQ_j − mean_a dQ_a}). The loss gradient is computed here too, so the TD errors needed
 * for priorities come for free: {@code L = mean_i w_i ℓ(Q(s_i, a_i) − y_i)} with importance weights
 * {@code w_i} (1 without prioritised replay) and
 * {@code y_i = R_i + discount_i · Q_target(s'_i, argmax)}, where {@code discount_i} is {@code γ^k}, or 0
 * when the episode terminated within the k steps: a time-limit truncation still bootstraps.
 */
public final class Dqn implements Agent<double[], Integer>, Checkpointable {

    private static final int FORMAT = 0x4C445131; // "LDQ1"
    /** Most floats of observations and next observations a training phase may draw up front (64 MB). */
    private static final long PHASE_MAX_FLOATS = 1L << 24;

    private final ParamValues config;
    // read once: used on every step
    private final boolean doubleQ;
    private final boolean dueling;
    private final boolean huber;
    private final int learningStarts;
    private final int trainFreq;
    private final int gradientSteps;
    private final int targetUpdateInterval;
    private final double tau;
    private final int obsDim;
    private final int actions;
    private final int outputs;
    private final RandomGenerator rng;
    private final Schedule epsilon;
    private final Network online;
    private final Network target;
    private final Optimizer optimizer;
    private final Replay replay;
    private final NStepAccumulator nStep;
    private final Batch batch;
    /**
     * With uniform replay a whole training phase's batches are drawn up front (the same draws in the same order
     * as one at a time: sampling does not depend on what the updates learn), so the target network, fixed during
     * a phase, can value them ahead on the network's idle worker threads while this thread trains. Null with
     * prioritised replay, whose draws depend on the priorities each update sets.
     */
    private final Phase phase;
    // scratch, allocated once
    private final float[] actObs;
    private final float[] actOut;
    private final float[] obsBuf;
    private final float[] nextBuf;
    private final float[] nextTarget;
    private final float[] nextOnline;
    private final float[] y;
    private final float[] dOut;
    private final float[] tdErrors;
    private long step;
    /** mean Q(s, a) of the last trained batch */
    private double qMean;

    /** The agent the registry builds: Box observations, Discrete actions. */
    public Dqn(AgentContext context) {
        this(context.params(), ((Box) context.observationSpace()).size(), ((Discrete) context.actionSpace()).n(),
            context.totalSteps(), context.random());
    }

    /** @param config values of {@link DqnConfig#PARAMS} */
    public Dqn(ParamValues config, int obsDim, int actions, long totalSteps, RandomGenerator rng) {
        if (obsDim < 1 || actions < 1) {
            throw new IllegalArgumentException("dqn needs obsDim and actions >= 1, got " + obsDim + " and " + actions);
        }
        this.config = config;
        doubleQ = config.get(DOUBLE_Q);
        dueling = config.get(DUELING);
        huber = config.get(LOSS) == DqnConfig.Loss.HUBER;
        learningStarts = config.get(LEARNING_STARTS);
        trainFreq = config.get(TRAIN_FREQ);
        gradientSteps = config.get(GRADIENT_STEPS);
        targetUpdateInterval = config.get(TARGET_UPDATE_INTERVAL);
        tau = config.get(TAU);
        this.obsDim = obsDim;
        this.actions = actions;
        this.outputs = dueling ? actions + 1 : actions;
        this.rng = rng;
        epsilon = Schedule.decay(config.get(EPSILON_SCHEDULE), config.get(EPSILON_START), config.get(EPSILON_END),
            config.get(EXPLORATION_FRACTION), totalSteps);

        Network.Builder builder = Network.builder(obsDim).seed(rng.nextLong()).init(config.get(INIT))
            .threads(config.get(THREADS));
        for (int width : config.get(HIDDEN)) {
            builder.dense(width, Activation.RELU);
        }
        online = builder.dense(outputs, Activation.IDENTITY).build();
        target = online.copy();
        optimizer = Optimizer.of(OptimizerConfig.defaults(config.get(OPTIMIZER), config.get(LR))
            .withClipNorm(config.get(MAX_GRAD_NORM)));

        boolean prioritized = config.get(PRIORITIZED);
        replay = prioritized
            ? new PrioritizedReplayBuffer(config.get(BUFFER_SIZE), obsDim, config.get(PER_ALPHA),
                Schedule.linear(config.get(PER_BETA), 1.0, totalSteps), config.get(PER_EPS))
            : new ReplayBuffer(config.get(BUFFER_SIZE), obsDim);
        nStep = new NStepAccumulator(config.get(N_STEP), obsDim, config.get(GAMMA), replay);

        int b = config.get(BATCH_SIZE);
        batch = new Batch(b, obsDim);
        phase = !prioritized && 2L * gradientSteps * b * obsDim <= PHASE_MAX_FLOATS
            ? new Phase(gradientSteps, b) : null;
        actObs = new float[obsDim];
        actOut = new float[outputs];
        obsBuf = new float[obsDim];
        nextBuf = new float[obsDim];
        nextTarget = new float[b * outputs];
        nextOnline = new float[b * outputs];
        y = new float[b];
        dOut = new float[b * outputs];
        tdErrors = new float[b];
    }

    // ---- acting ----

    @Override
    public List<Integer> act(List<double[]> observations, boolean explore) {
        if (observations.size() == 1) {
            return List.of(act(observations.get(0), explore));
        }
        List<Integer> out = new ArrayList<>(observations.size());
        for (double[] observation : observations) {
            out.add(act(observation, explore));
        }
        return out;
    }

    /** The ε-greedy (explore) or greedy action for one observation. */
    public int act(double[] observation, boolean explore) {
        if (explore && rng.nextDouble() < epsilon()) {
            return rng.nextInt(actions);
        }
        toFloat(observation, actObs);
        online.predict(actObs, 1, actOut);
        // with dueling heads argmax Q = argmax A: V and mean(A) are the same for every action
        return argmax(actOut, 0);
    }

    /** The current exploration rate. */
    public double epsilon() {
        return epsilon.valueAt(step);
    }

    // ---- storing and training ----

    @Override
    public void observe(List<Transition<double[], Integer>> transitions, Metrics metrics) {
        for (Transition<double[], Integer> t : transitions) {
            observe(t, metrics);
        }
        metrics.last("train/epsilon", epsilon());
    }

    private void observe(Transition<double[], Integer> t, Metrics metrics) {
        step++;
        toFloat(t.observation(), obsBuf);
        toFloat(t.nextObservation(), nextBuf);
        nStep.add(obsBuf, t.action(), t.reward(), nextBuf, t.terminated(), t.truncated());

        if (step > learningStarts && step % trainFreq == 0 && replay.size() > 0) {
            train(gradientSteps, metrics);
        }
        if (step % targetUpdateInterval == 0) {
            if (tau >= 1.0) {
                target.copyWeightsFrom(online);
            } else {
                target.softUpdateFrom(online, tau);
            }
        }
    }

    /** Runs {@code steps} gradient steps on sampled batches; stops at a non-finite loss (reported, not applied). */
    private void train(int steps, Metrics metrics) {
        if (phase != null) {
            phase.train(steps, metrics);
            return;
        }
        for (int k = 0; k < steps; k++) {
            replay.sample(batch, rng, step);
            target.predict(batch.nextObservations, batch.size, nextTarget);
            if (!report(tdUpdate(nextTarget, 0), metrics)) {
                return;
            }
        }
    }

    /** Reports one gradient step; false if its loss was not finite (the Trainer then ends the run as diverged). */
    private boolean report(double loss, Metrics metrics) {
        metrics.updates(1);
        metrics.mean("train/loss", loss);
        metrics.mean("train/q_mean", qMean);
        return Double.isFinite(loss);
    }

    /** A training phase on batches drawn up front, their target values computed ahead (see {@link #phase}). */
    private final class Phase {
        private final Batch batches;
        private final float[] targetValues;

        Phase(int gradientSteps, int batchSize) {
            batches = new Batch(gradientSteps * batchSize, obsDim);
            targetValues = new float[gradientSteps * batchSize * outputs];
        }

        void train(int steps, Metrics metrics) {
            int b = batch.size;
            ((ReplayBuffer) replay).sample(batches, steps * b, rng);
            // closing waits for the workers' pieces: the target network must be idle before observe() syncs it
            try (Network.Prefetch targets = target.prefetch(batches.nextObservations, steps * b, b, targetValues)) {
                for (int k = 0; k < steps; k++) {
                    targets.await((k + 1) * b);
                    copyRows(batches, k * b, batch);
                    if (!report(tdUpdate(targetValues, k * b * outputs), metrics)) {
                        return;
                    }
                }
            }
        }
    }

    /** Copies {@code into.size} rows of {@code from}, starting at row {@code first}, into {@code into}. */
    private static void copyRows(Batch from, int first, Batch into) {
        int rows = into.size;
        int d = into.obsDim;
        System.arraycopy(from.observations, first * d, into.observations, 0, rows * d);
        System.arraycopy(from.nextObservations, first * d, into.nextObservations, 0, rows * d);
        System.arraycopy(from.actions, first, into.actions, 0, rows);
        System.arraycopy(from.rewards, first, into.rewards, 0, rows);
        System.arraycopy(from.discounts, first, into.discounts, 0, rows);
        System.arraycopy(from.weights, first, into.weights, 0, rows);
        System.arraycopy(from.indices, first, into.indices, 0, rows);
    }

    /**
     * One gradient step on {@link #batch}, whose target-network outputs start at {@code targetOut[offset]};
     * returns the loss (non-finite: nothing was applied).
     */
    private double tdUpdate(float[] targetOut, int offset) {
        int b = batch.size;
        // targets y = R + discount * Q_target(s', a*), a* from the online net (double DQN) or the target net
        if (doubleQ) {
            online.predict(batch.nextObservations, b, nextOnline);
        }
        for (int i = 0; i < b; i++) {
            int best = doubleQ ? argmax(nextOnline, i * outputs) : argmax(targetOut, offset + i * outputs);
            y[i] = batch.rewards[i] + batch.discounts[i] * q(targetOut, offset, i, best);
        }

        // prediction Q(s, a) and the gradient of the weighted mean loss with respect to it
        float[] out = online.forwardTrain(batch.observations, b);
        java.util.Arrays.fill(dOut, 0f);
        double loss = 0;
        double qTotal = 0;
        for (int i = 0; i < b; i++) {
            int a = batch.actions[i];
            float qa = q(out, 0, i, a);
            double delta = qa - y[i];
            double w = batch.weights[i];
            double grad;
            if (huber) {
                double abs = Math.abs(delta);
                loss += w * (abs <= 1 ? 0.5 * delta * delta : abs - 0.5);
                grad = abs <= 1 ? delta : Math.signum(delta);
            } else {
                loss += w * delta * delta;
                grad = 2 * delta;
            }
            tdErrors[i] = (float) delta;
            qTotal += qa;
            setQGradient(i, a, (float) (w * grad / b));
        }
        loss /= b;
        qMean = qTotal / b;
        if (!Double.isFinite(loss)) {
            return loss;
        }
        online.backward(dOut);
        optimizer.step(online);
        replay.updatePriorities(batch, tdErrors);
        return loss;
    }

    /** Q(row, a) from raw network outputs starting at {@code offset}: the output, or V + A_a − mean(A) (dueling). */
    private float q(float[] out, int offset, int row, int a) {
        int base = offset + row * outputs;
        if (!dueling) {
            return out[base + a];
        }
        float mean = 0;
        for (int j = 0; j < actions; j++) {
            mean += out[base + 1 + j];
        }
        return out[base] + out[base + 1 + a] - mean / actions;
    }

    /** Sets dLoss/dOutput for a loss gradient {@code g} on Q(row, a) only. */
    private void setQGradient(int row, int a, float g) {
        int base = row * outputs;
        if (!dueling) {
            dOut[base + a] = g;
            return;
        }
        dOut[base] = g;
        float share = g / actions;
        for (int j = 0; j < actions; j++) {
            dOut[base + 1 + j] = (j == a ? g : 0f) - share;
        }
    }

    /** Index of the largest action value in the row starting at {@code base} (skipping V with dueling heads). */
    private int argmax(float[] out, int base) {
        int first = dueling ? base + 1 : base;
        int best = 0;
        float bestValue = out[first];
        for (int a = 1; a < actions; a++) {
            if (out[first + a] > bestValue) {
                bestValue = out[first + a];
                best = a;
            }
        }
        return best;
    }

    private static void toFloat(double[] source, float[] target) {
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) source[i];
        }
    }

    // ---- inspection, saving ----

    /** Q(s, ·) of the online network (for tests and inspection). */
    public double[] qValues(double[] observation) {
        float[] x = new float[obsDim];
        toFloat(observation, x);
        float[] out = online.predict(x, 1);
        double[] qs = new double[actions];
        for (int a = 0; a < actions; a++) {
            qs[a] = q(out, 0, 0, a);
        }
        return qs;
    }

    public ParamValues config() {
        return config;
    }

    public Network network() {
        return online;
    }

    public Replay replay() {
        return replay;
    }

    @Override
    public void save(OutputStream out) throws IOException {
        java.io.DataOutputStream data = new java.io.DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeBoolean(dueling);
        data.writeInt(actions);
        data.flush();
        online.save(out);
    }

    @Override
    public void load(InputStream in) throws IOException {
        java.io.DataInputStream data = new java.io.DataInputStream(in);
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus DQN model (format tag " + Integer.toHexString(format) + ")");
        }
        boolean savedDueling = data.readBoolean();
        int a = data.readInt();
        if (savedDueling != dueling || a != actions) {
            throw new IOException("model has " + a + " actions (dueling " + savedDueling + ") but this agent has "
                + actions + " (dueling " + dueling + ")");
        }
        Network loaded = Network.load(in, config.get(THREADS));
        try {
            online.copyWeightsFrom(loaded);
        } catch (IllegalArgumentException e) {
            throw new IOException("model does not fit this agent: " + e.getMessage(), e);
        }
        target.copyWeightsFrom(online);
    }

    /**
     * Everything training continues from: step count, last q_mean, the random stream, both networks, the
     * optimiser's moments, the replay memory (priorities included) and the n-step steps held back. Needs the
     * stream the registry gives ({@link AgentContext#random()}).
     */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "dqn");
        out.writeLong(step);
        out.writeDouble(qMean);
        StateIO.random(out, SplitMixRandom.checkpointable(rng, "this dqn"));
        online.writeState(out);
        target.writeState(out);
        optimizer.writeState(out);
        ((Checkpointable) replay).writeState(out);
        nStep.writeState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "dqn");
        step = in.readLong();
        qMean = in.readDouble();
        StateIO.random(in, SplitMixRandom.checkpointable(rng, "this dqn"));
        online.readState(in);
        target.readState(in);
        optimizer.readState(in, online);
        ((Checkpointable) replay).readState(in);
        nStep.readState(in);
    }
}
