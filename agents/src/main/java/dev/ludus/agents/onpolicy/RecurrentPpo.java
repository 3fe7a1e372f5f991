package dev.ludus.agents.onpolicy;

import dev.ludus.envs.wrappers.ObservationNormalizer;
import dev.ludus.envs.wrappers.ReturnNormalizer;
import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.RecurrentOutput;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.layer.RecurrentState;
import dev.ludus.nn.optim.Gradients;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import java.util.random.RandomGenerator;

/**
 * Recurrent PPO as sb3-contrib's RecurrentPPO does it, for Discrete actions: an actor
 * {@code obs -> LSTM -> dense... -> logits} and a separate critic {@code obs -> LSTM -> dense... -> V}, each LSTM's
 * state carried from step to step per env and zeroed where an episode starts.
 *
 * <ul>
 * <li>Acting: each env's observation (normalised by running statistics when asked) goes one step through both
 *     networks from the env's carried state; the rollout stores observations, actions, log-probabilities, values and
 *     episode starts, and the states at the rollout's first step.</li>
 * <li>Storing: rewards are scaled by the running std of each env's discounted return when asked (VecNormalize's
 *     norm_reward, which the zoo's {@code normalize: true} turns on), then a time-limit truncation adds {@code γ V(final observation)}, computed from the env's critic state, to
 *     the step's reward (sb3-contrib's terminal value); GAE(λ) as in PPO, the last values from the critic state.</li>
 * <li>Training: {@code n_epochs} passes; a minibatch is {@code batch_size / n_steps} whole env sequences of
 *     {@code n_steps} steps (shuffled), each run from the state stored at the rollout's start and reset at its
 *     episode starts, so back-propagation runs through the whole sequence and no further (sb3-contrib cuts the
 *     sequences at episode starts and pads them, which computes the same when the minibatch is the whole rollout,
 *     as in the zoo's settings). Loss, advantage normalisation per minibatch, joint gradient clipping and the linear
 *     schedules are PPO's ({@link OnPolicy}).</li>
 * </ul>
 */
public final class RecurrentPpo {
    private static final int FORMAT = 0x4C525031; // "LRP1"
    /** VecNormalize's clip_obs and epsilon */
    private static final double OBS_CLIP = 10.0;
    private static final double OBS_EPS = 1e-8;

    private final RecurrentPpoConfig config;
    private final int obsDim;
    private final int actions;
    private final long totalSteps;
    private final RandomGenerator rng;
    private final Categorical distribution;
    private final Network actor;
    private final Network critic;
    private final Optimizer actorOptimizer;
    private final Optimizer criticOptimizer;
    private final ObservationNormalizer obsStats;
    private final ReturnNormalizer rewardStats;
    private final double[] rawRewards;
    private final double[] scaledRewards;
    private final boolean[] ended;
    private final RolloutBuffer rollout;
    private long steps;
    // acting: the carried states, the states at the rollout's first step, the step being collected
    private final RecurrentState actorState;
    private final RecurrentState criticState;
    private RecurrentState actorStart;
    private RecurrentState criticStart;
    private final float[] stepObs;
    private final float[] stepActions;
    private final float[] stepValues;
    private final float[] stepLogProbs;
    private final float[] stepRewards;
    private final float[] episodeStarts;
    private final float[] dones;
    private final float[] logits;
    private final float[] values;
    private boolean acted;
    // evaluation: one env, its own state
    private RecurrentState evalState;
    private final float[] evalObs;
    private final float[] evalLogits;
    private final float[] evalReset = new float[1];
    // a minibatch of whole env sequences, sample-major (env, step)
    private final int[] envOrder;
    private final float[] mbObs;
    private final float[] mbResets;
    private final int[] mbRows;
    private final float[] mbAdvantages;
    private final float[] dLogits;
    private final float[] dValues;

    public RecurrentPpo(RecurrentPpoConfig config, int obsDim, int actions, long totalSteps, RandomGenerator rng) {
        if (obsDim < 1) {
            throw new IllegalArgumentException("observation size must be >= 1, got " + obsDim);
        }
        if (actions < 2) {
            throw new IllegalArgumentException("ppo_lstm needs a Discrete action space of >= 2 actions, got " + actions);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("steps: must be >= 1, got " + totalSteps);
        }
        this.config = config;
        this.obsDim = obsDim;
        this.actions = actions;
        this.totalSteps = totalSteps;
        this.rng = rng;
        this.distribution = new Categorical(actions);
        actor = network(actions, rng.nextLong());
        critic = network(1, rng.nextLong());
        OptimizerConfig adam = OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, config.lr()).withEps(1e-5);
        actorOptimizer = Optimizer.of(adam);
        criticOptimizer = Optimizer.of(adam);
        obsStats = config.normalizeObs() ? new ObservationNormalizer(obsDim, OBS_CLIP, OBS_EPS, "normalize_obs") : null;
        int n = config.nEnvs();
        rewardStats = config.normalizeReward()
            ? new ReturnNormalizer(n, config.gamma(), config.clipReward(), ReturnNormalizer.DEFAULT_EPSILON, "clip_reward")
            : null;
        rawRewards = new double[n];
        scaledRewards = new double[n];
        ended = new boolean[n];
        rollout = new RolloutBuffer(config.nSteps(), n, obsDim, 1);
        actorState = actor.newState(n);
        criticState = critic.newState(n);
        stepObs = new float[n * obsDim];
        stepActions = new float[n];
        stepValues = new float[n];
        stepLogProbs = new float[n];
        stepRewards = new float[n];
        episodeStarts = new float[n];
        Arrays.fill(episodeStarts, 1f);
        dones = new float[n];
        logits = new float[n * actions];
        values = new float[n];
        evalState = actor.newState(1);
        evalObs = new float[obsDim];
        evalLogits = new float[actions];
        int envsPerBatch = config.envsPerBatch();
        int batch = config.batchSize();
        envOrder = new int[n];
        mbObs = new float[batch * obsDim];
        mbResets = new float[batch];
        mbRows = new int[batch];
        mbAdvantages = new float[batch];
        dLogits = new float[batch * actions];
        dValues = new float[batch];
        assert envsPerBatch * config.nSteps() == batch;
    }

    /** {@code obs (1 step) -> LSTM (every step) -> dense layers -> outputs}, PyTorch's default initialisation. */
    private Network network(int outputs, long seed) {
        Activation activation = config.activation() == OnPolicyConfig.Activation.RELU ? Activation.RELU : Activation.TANH;
        Network.Builder b = Network.builder(Shape.of(1, obsDim)).seed(seed).init(Init.TORCH).threads(1)
            .lstm(config.lstmUnits(), RecurrentOutput.EVERY_STEP);
        for (int width : config.hidden()) {
            b.dense(width, activation);
        }
        return b.dense(outputs).build();
    }

    public RecurrentPpoConfig config() {
        return config;
    }

    public long steps() {
        return steps;
    }

    Network actor() {
        return actor;
    }

    Network critic() {
        return critic;
    }

    RolloutBuffer rollout() {
        return rollout;
    }

    /** The order in which minibatches take the envs' sequences (shuffled every epoch). */
    int[] envOrder() {
        return envOrder;
    }

    // ---- observations ----

    /** VecNormalize: {@code clip((obs − mean) / sqrt(var + 1e-8), ±10)} in place, with the current statistics. */
    private void normalise(float[] obs, int rows) {
        if (obsStats != null) {
            obsStats.normalize(obs, obs, rows, null);
        }
    }

    // ---- acting ----

    /**
     * Samples an action for each env's raw observation ({@code n_envs x obsDim}) into {@code actionsOut} (indices as
     * floats), carrying each env's LSTM states; updates the observation statistics first, as VecNormalize does with
     * every observation the envs return.
     */
    public void act(float[] observations, float[] actionsOut) {
        int n = config.nEnvs();
        if (obsStats != null) {
            obsStats.update(observations, n);
        }
        System.arraycopy(observations, 0, stepObs, 0, n * obsDim);
        normalise(stepObs, n);
        if (rollout.stepsStored() == 0) {
            actorStart = actorState.copy();
            criticStart = criticState.copy();
        }
        actor.predict(stepObs, n, 1, actorState, episodeStarts, logits);
        critic.predict(stepObs, n, 1, criticState, episodeStarts, values);
        for (int e = 0; e < n; e++) {
            distribution.sample(logits, e * actions, rng, stepActions, e);
            stepLogProbs[e] = (float) distribution.logProb(logits, e * actions, stepActions, e);
            stepValues[e] = values[e];
        }
        System.arraycopy(stepActions, 0, actionsOut, 0, n);
        acted = true;
    }

    /** Starts an evaluation episode: the evaluation state is zeroed. */
    public void beginEvaluationEpisode() {
        evalState.reset();
    }

    /** The most likely action for one evaluation observation, carrying the evaluation episode's state. */
    public int actDeterministic(float[] observation) {
        System.arraycopy(observation, 0, evalObs, 0, obsDim);
        normalise(evalObs, 1);
        actor.predict(evalObs, 1, 1, evalState, evalReset, evalLogits);
        float[] a = new float[1];
        distribution.mode(evalLogits, 0, a, 0);
        return (int) a[0];
    }

    // ---- storing ----

    /**
     * Stores the step {@link #act} chose; {@code finalObservations} holds each env's raw observation after the step
     * (for an ended episode, the one it ended on). Trains when the rollout is full and returns the statistics, or null.
     */
    public OnPolicy.TrainStats observe(float[] rewards, boolean[] terminated, boolean[] truncated, float[] finalObservations) {
        if (!acted) {
            throw new IllegalStateException("observe needs an act() first");
        }
        acted = false;
        int n = config.nEnvs();
        float[] one = new float[obsDim];
        float[] v = new float[1];
        for (int e = 0; e < n; e++) {
            stepRewards[e] = rewards[e];
            ended[e] = terminated[e] || truncated[e];
        }
        if (rewardStats != null) {
            // VecNormalize scales the env's rewards before the algorithm adds the truncation bootstrap to them
            for (int e = 0; e < n; e++) {
                rawRewards[e] = rewards[e];
            }
            rewardStats.scale(rawRewards, null, ended, scaledRewards);
            for (int e = 0; e < n; e++) {
                stepRewards[e] = (float) scaledRewards[e];
            }
        }
        for (int e = 0; e < n; e++) {
            if (truncated[e] && !terminated[e]) {
                // bootstrap the cut episode from its final observation, one more step from the env's critic state
                System.arraycopy(finalObservations, e * obsDim, one, 0, obsDim);
                normalise(one, 1);
                RecurrentState s = critic.newState(1);
                float[] row = new float[s.width()];
                criticState.copyRow(e, row, 0);
                s.setRow(0, row, 0);
                critic.predict(one, 1, 1, s, null, v);
                stepRewards[e] += (float) (config.gamma() * v[0]);
            }
        }
        rollout.add(stepObs, stepActions, stepRewards, episodeStarts, stepValues, stepLogProbs);
        for (int e = 0; e < n; e++) {
            dones[e] = ended[e] ? 1f : 0f;
        }
        System.arraycopy(dones, 0, episodeStarts, 0, n);
        steps += n;
        if (!rollout.full()) {
            return null;
        }
        // V of the observations after the last step, from copies of the critic states (reset where episodes ended)
        float[] next = finalObservations.clone();
        normalise(next, n);
        critic.predict(next, n, 1, criticState.copy(), dones, values);
        rollout.computeReturnsAndAdvantages(values, dones, config.gamma(), config.gaeLambda());
        OnPolicy.TrainStats stats = train();
        rollout.reset();
        return stats;
    }

    // ---- training ----

    private OnPolicy.TrainStats train() {
        double progress = 1.0 - (double) steps / totalSteps;
        double lrFactor = TrainingTally.scheduled(1.0, config.lrSchedule(), progress);
        double clipRange = TrainingTally.scheduled(config.clipRange(), config.clipRangeSchedule(), progress);
        double explained = rollout.explainedVariance();
        if (!(lrFactor > 0)) {
            return TrainingTally.skipped(explained, clipRange);
        }
        actorOptimizer.setLrFactor(lrFactor);
        criticOptimizer.setLrFactor(lrFactor);
        int n = config.nEnvs();
        int envsPerBatch = config.envsPerBatch();
        TrainingTally tally = new TrainingTally();
        for (int e = 0; e < n; e++) {
            envOrder[e] = e;
        }
        for (int epoch = 0; epoch < config.nEpochs(); epoch++) {
            TrainingTally.shuffle(envOrder, rng);
            for (int start = 0; start + envsPerBatch <= n; start += envsPerBatch) {
                OnPolicy.MinibatchLoss l = update(start, envsPerBatch, clipRange);
                if (!tally.add(l)) {
                    return tally.diverged(l, explained, actorOptimizer.currentLr(), clipRange);
                }
            }
        }
        return tally.mean(explained, actorOptimizer.currentLr(), clipRange, true);
    }

    /**
     * One gradient step on the env sequences {@code envOrder[start .. start + count − 1]}; returns its losses, the
     * approximate KL, the clip fraction and the gradient norm before clipping.
     */
    private OnPolicy.MinibatchLoss update(int start, int count, double clipRange) {
        int rows = count * config.nSteps();
        float[][] outputs = forwardMinibatch(start, count);
        float[] out = outputs[0];
        float[] v = outputs[1];
        if (rows > 1) {
            OnPolicy.normalise(mbAdvantages, rows);
        }
        // actor: clipped surrogate and entropy
        Arrays.fill(dLogits, 0, rows * actions, 0f);
        double policyLoss = 0;
        double entropy = 0;
        double approxKl = 0;
        int clipped = 0;
        double dEntropy = -config.entCoef() / rows;
        for (int i = 0; i < rows; i++) {
            int row = mbRows[i];
            double logProb = distribution.logProb(out, i * actions, rollout.actions, row);
            double logRatio = logProb - rollout.logProbs[row];
            double ratio = Math.exp(logRatio);
            double advantage = mbAdvantages[i];
            policyLoss -= OnPolicy.surrogate(ratio, advantage, clipRange);
            double dLogProb = -OnPolicy.surrogateGradient(ratio, advantage, clipRange) / rows;
            approxKl += (ratio - 1) - logRatio;
            if (Math.abs(ratio - 1) > clipRange) {
                clipped++;
            }
            entropy += distribution.entropy(out, i * actions);
            distribution.backward(out, i * actions, rollout.actions, row, dLogProb, dEntropy, dLogits);
        }
        actor.backward(dLogits);
        // critic: squared error to the returns
        double valueLoss = 0;
        for (int i = 0; i < rows; i++) {
            double error = v[i] - rollout.returns[mbRows[i]];
            valueLoss += error * error;
            dValues[i] = (float) (config.vfCoef() * 2 * error / rows);
        }
        critic.backward(dValues);
        policyLoss /= rows;
        valueLoss /= rows;
        entropy /= rows;
        double total = policyLoss - config.entCoef() * entropy + config.vfCoef() * valueLoss;
        double norm = Double.NaN;
        if (Double.isFinite(total)) {
            norm = config.maxGradNorm() > 0 ? Gradients.clipGlobalNorm(config.maxGradNorm(), actor, critic)
                : Gradients.globalNorm(actor, critic);
            actorOptimizer.step(actor);
            criticOptimizer.step(critic);
        }
        return new OnPolicy.MinibatchLoss(policyLoss, valueLoss, entropy, approxKl / rows, (double) clipped / rows, total,
            norm);
    }

    /**
     * The rollout's data for the env sequences {@code envOrder[start .. start + count − 1]} gathered into the minibatch
     * arrays (row {@code k * n_steps + t}: sequence k, step t), then the training forward pass of both networks over
     * them: each sequence starts from the states stored at the rollout's first step and is reset where an episode
     * started, as the rollout stepped it. Returns the actor's logits and the critic's values, one row per step.
     */
    float[][] forwardMinibatch(int start, int count) {
        int steps = config.nSteps();
        int n = config.nEnvs();
        RecurrentState actorFrom = actor.newState(count);
        RecurrentState criticFrom = critic.newState(count);
        float[] stateRow = new float[Math.max(actorFrom.width(), criticFrom.width())];
        for (int k = 0; k < count; k++) {
            int e = envOrder[start + k];
            actorStart.copyRow(e, stateRow, 0);
            actorFrom.setRow(k, stateRow, 0);
            criticStart.copyRow(e, stateRow, 0);
            criticFrom.setRow(k, stateRow, 0);
            for (int t = 0; t < steps; t++) {
                int row = t * n + e;
                int at = k * steps + t;
                System.arraycopy(rollout.observations, row * obsDim, mbObs, at * obsDim, obsDim);
                mbResets[at] = rollout.episodeStarts[row];
                mbRows[at] = row;
                mbAdvantages[at] = rollout.advantages[row];
            }
        }
        return new float[][] {actor.forwardTrain(mbObs, count, steps, actorFrom, mbResets),
            critic.forwardTrain(mbObs, count, steps, criticFrom, mbResets)};
    }

    // ---- saving ----

    /** Format tag, observation size, the observation statistics, then the actor and critic as length-prefixed blocks. */
    public void save(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(FORMAT);
        d.writeInt(obsDim);
        d.writeBoolean(obsStats != null);
        if (obsStats != null) {
            double[] s = obsStats.state();
            d.writeInt(s.length);
            for (double x : s) {
                d.writeDouble(x);
            }
        }
        for (Network net : new Network[] {actor, critic}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            net.save(bytes);
            d.writeInt(bytes.size());
            bytes.writeTo(d);
        }
        d.flush();
    }

    /** Reads everything first and changes nothing unless it all fits this agent. */
    public void load(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int format = d.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus recurrent PPO model (format tag " + Integer.toHexString(format) + ")");
        }
        int dim = d.readInt();
        boolean normalised = d.readBoolean();
        if (dim != obsDim || normalised != (obsStats != null)) {
            throw new IOException("model (observation size " + dim + ", normalize_obs " + normalised + ") does not fit this"
                + " agent (observation size " + obsDim + ", normalize_obs " + (obsStats != null) + ")");
        }
        double[] stats = null;
        if (normalised) {
            int length = d.readInt();
            if (length < 0 || length > 1 << 20) {
                throw new IOException("corrupted recurrent PPO model: statistics of " + length + " values");
            }
            stats = new double[length];
            for (int i = 0; i < length; i++) {
                stats[i] = d.readDouble();
            }
        }
        Network[] mine = {actor, critic};
        Network[] loaded = new Network[2];
        for (int i = 0; i < 2; i++) {
            int length = d.readInt();
            if (length < 0 || length > 1 << 30) {
                throw new IOException("corrupted recurrent PPO model: network block of " + length + " bytes");
            }
            loaded[i] = Network.load(new ByteArrayInputStream(d.readNBytes(length)), 1);
            if (!loaded[i].describe().equals(mine[i].describe())) {
                throw new IOException("model does not fit this agent: " + loaded[i].describe() + " vs " + mine[i].describe());
            }
        }
        if (stats != null) {
            try {
                obsStats.load(stats);
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupted recurrent PPO model: " + e.getMessage(), e);
            }
        }
        actor.copyWeightsFrom(loaded[0]);
        critic.copyWeightsFrom(loaded[1]);
    }

    // ---- checkpoints ----

    /**
     * Everything learning continues from: the step count, the pending step, the observation and return statistics
     * (with each env's running return), the random stream, both networks with their optimisers, the carried LSTM
     * states and those of the rollout's first step, and the rollout collected so far.
     */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        StateIO.tag(out, "ppo_lstm 2");
        out.writeLong(steps);
        out.writeBoolean(acted);
        for (float[] a : new float[][] {stepObs, stepActions, stepValues, stepLogProbs, stepRewards, episodeStarts, dones}) {
            StateIO.floats(out, a);
        }
        out.writeBoolean(obsStats != null);
        if (obsStats != null) {
            StateIO.doubles(out, obsStats.state());
        }
        out.writeBoolean(rewardStats != null);
        if (rewardStats != null) {
            rewardStats.writeState(out);
        }
        StateIO.random(out, SplitMixRandom.checkpointable(rng, "this learner"));
        actor.writeState(out);
        actorOptimizer.writeState(out);
        critic.writeState(out);
        criticOptimizer.writeState(out);
        actorState.writeState(out);
        criticState.writeState(out);
        out.writeBoolean(actorStart != null);
        if (actorStart != null) {
            actorStart.writeState(out);
            criticStart.writeState(out);
        }
        rollout.writeState(out);
    }

    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        StateIO.expect(in, "ppo_lstm 2");
        steps = in.readLong();
        acted = in.readBoolean();
        for (float[] a : new float[][] {stepObs, stepActions, stepValues, stepLogProbs, stepRewards, episodeStarts, dones}) {
            StateIO.floats(in, a);
        }
        if (in.readBoolean() != (obsStats != null)) {
            throw new java.io.IOException("checkpoint of a ppo_lstm with another normalize_obs setting");
        }
        if (obsStats != null) {
            try {
                obsStats.load(StateIO.doubles(in));
            } catch (IllegalArgumentException e) {
                throw new java.io.IOException("observation statistics: " + e.getMessage(), e);
            }
        }
        if (in.readBoolean() != (rewardStats != null)) {
            throw new java.io.IOException("checkpoint of a ppo_lstm with another normalize_reward setting");
        }
        if (rewardStats != null) {
            rewardStats.readState(in);
        }
        StateIO.random(in, SplitMixRandom.checkpointable(rng, "this learner"));
        actor.readState(in);
        actorOptimizer.readState(in, actor);
        critic.readState(in);
        criticOptimizer.readState(in, critic);
        actorState.readState(in);
        criticState.readState(in);
        if (in.readBoolean()) {
            actorStart = actorState.copy();
            criticStart = criticState.copy();
            actorStart.readState(in);
            criticStart.readState(in);
        } else {
            actorStart = null;
            criticStart = null;
        }
        rollout.readState(in);
    }
}
