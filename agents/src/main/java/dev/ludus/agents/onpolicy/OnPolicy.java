package dev.ludus.agents.onpolicy;

import dev.ludus.nn.kernel.Parallel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.random.RandomGenerator;

/**
 * PPO (Schulman et al. 2017) and A2C (Mnih et al. 2016) as Stable-Baselines3 implements them, one learner reading
 * top to bottom: act on {@code n_envs} envs at once, store {@code n_steps} steps of each, compute GAE(λ) advantages,
 * then update the actor-critic on the rollout and start a new one.
 *
 * <ul>
 * <li>Acting: sample from the policy (Categorical over logits, or a diagonal Gaussian with state-independent
 *     log σ whose samples are clipped to the action box for the env but stored unclipped); evaluation takes the
 *     mode.</li>
 * <li>Storing: a time-limit truncation adds {@code γ V(final observation)} to the step's reward, so the cut
 *     episode still bootstraps; a termination does not.</li>
 * <li>Training (PPO): {@code n_epochs} passes over the rollout in shuffled minibatches of {@code batch_size},
 *     advantages normalised per minibatch, loss {@code −E[min(r A, clip(r, 1 ± ε) A)] − c_ent E[H] +
 *     c_vf E[(R − V)²]}, the joint gradient norm of actor and critic clipped to {@code max_grad_norm}; learning rate
 *     and ε follow the remaining progress {@code 1 − steps/total} when their schedule is linear.</li>
 * <li>Training (A2C): the same on the whole rollout once, with {@code −E[A log π(a|s)]} and RMSProp.</li>
 * </ul>
 *
 * <p>The caller steps the envs (see {@link #act} and {@link #observe}); randomness comes from the
 * {@link RandomGenerator} given at construction only.
 */
public final class OnPolicy {

    /** What one training phase measured (NaN where it does not apply, e.g. clip fraction for A2C). */
    public record TrainStats(int updates, double policyLoss, double valueLoss, double entropy, double approxKl,
                             double clipFraction, double explainedVariance, double loss, double lr, double clipRange,
                             double gradNorm) {
    }

    private final OnPolicyConfig config;
    private final int obsDim;
    private final int actionDim;
    private final long totalSteps;
    private final RandomGenerator rng;
    private final ActorCritic policy;
    private final ActionDistribution distribution;
    private final RolloutBuffer rollout;
    /** Box bounds the env accepts (null for Discrete): sampled actions are clipped to them, stored unclipped. */
    private final double[] actionLow;
    private final double[] actionHigh;
    private long steps;
    // the step being collected: observations, actions, values and log-probabilities at act()
    private final float[] stepObs;
    private final float[] stepActions;
    private final float[] stepValues;
    private final float[] stepLogProbs;
    private final float[] stepRewards;
    /** 1 where the observation given to the next act() begins an episode (all envs at the start) */
    private final float[] episodeStarts;
    private final float[] dones;
    private boolean acted;
    // minibatch scratch
    private final int[] order;
    private final float[] mbObs;
    private final float[] mbActions;
    private final float[] mbOldLogProbs;
    private final float[] mbAdvantages;
    private final float[] mbReturns;
    private final float[] dPolicy;
    private final float[] dValue;

    /**
     * @param discreteActions the number of actions of a Discrete space, or 0 for a Box action space
     * @param actionLow       the Box's lower bounds (null for Discrete)
     * @param actionHigh      the Box's upper bounds (null for Discrete)
     * @param totalSteps      the training budget in env steps (all envs together): the linear schedules' horizon
     */
    public OnPolicy(OnPolicyConfig config, int obsDim, int discreteActions, double[] actionLow, double[] actionHigh,
                    long totalSteps, RandomGenerator rng) {
        if (obsDim < 1) {
            throw new IllegalArgumentException("observation size must be >= 1, got " + obsDim);
        }
        if (discreteActions < 1 && (actionLow == null || actionHigh == null || actionLow.length != actionHigh.length
            || actionLow.length == 0)) {
            throw new IllegalArgumentException("a Box action space needs low and high bounds of one length >= 1");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("steps: must be >= 1, got " + totalSteps);
        }
        this.config = config;
        this.obsDim = obsDim;
        this.totalSteps = totalSteps;
        this.rng = rng;
        this.actionLow = discreteActions > 0 ? null : actionLow.clone();
        this.actionHigh = discreteActions > 0 ? null : actionHigh.clone();
        int n = config.nEnvs();
        int batch = config.batchSize();
        policy = new ActorCritic(config, obsDim, discreteActions, discreteActions > 0 ? 0 : actionLow.length,
            Math.max(batch, n), rng);
        distribution = policy.distribution;
        actionDim = distribution.actionDim();
        rollout = new RolloutBuffer(config.nSteps(), n, obsDim, actionDim);
        stepObs = new float[n * obsDim];
        stepActions = new float[n * actionDim];
        stepValues = new float[n];
        stepLogProbs = new float[n];
        stepRewards = new float[n];
        episodeStarts = new float[n];
        java.util.Arrays.fill(episodeStarts, 1f);
        dones = new float[n];
        order = new int[rollout.size()];
        mbObs = new float[batch * obsDim];
        mbActions = new float[batch * actionDim];
        mbOldLogProbs = new float[batch];
        mbAdvantages = new float[batch];
        mbReturns = new float[batch];
        dPolicy = new float[batch * distribution.outputs()];
        dValue = new float[batch];
    }

    public OnPolicyConfig config() {
        return config;
    }

    /** Env steps observed so far (all envs together). */
    public long steps() {
        return steps;
    }

    /** Floats per action: 1 for a Discrete index, the box's dimension otherwise. */
    public int actionDim() {
        return actionDim;
    }

    // ---- acting ----

    /**
     * Samples an action for each env's observation ({@code n_envs x obsDim}) into {@code actions}
     * ({@code n_envs x actionDim}; a Discrete action is its index as a float, a Box action clipped to the box), and
     * remembers what {@link #observe} stores.
     */
    public void act(float[] observations, float[] actions) {
        int n = config.nEnvs();
        int outputs = distribution.outputs();
        System.arraycopy(observations, 0, stepObs, 0, n * obsDim);
        policy.predict(stepObs, n);
        for (int e = 0; e < n; e++) {
            distribution.sample(policy.policyOut, e * outputs, rng, stepActions, e * actionDim);
            stepLogProbs[e] = (float) distribution.logProb(policy.policyOut, e * outputs, stepActions, e * actionDim);
            stepValues[e] = policy.valueOut[e];
        }
        System.arraycopy(stepActions, 0, actions, 0, n * actionDim);
        clipToBox(actions, n);
        acted = true;
    }

    /** The deterministic policy's actions (the mode, clipped to the box) for {@code rows} observations. */
    public void actDeterministic(float[] observations, int rows, float[] actions) {
        int outputs = distribution.outputs();
        for (int start = 0; start < rows; start += config.nEnvs()) {
            int chunk = Math.min(config.nEnvs(), rows - start);
            float[] part = java.util.Arrays.copyOfRange(observations, start * obsDim, (start + chunk) * obsDim);
            policy.predict(part, chunk);
            for (int r = 0; r < chunk; r++) {
                distribution.mode(policy.policyOut, r * outputs, actions, (start + r) * actionDim);
            }
        }
        clipToBox(actions, rows);
    }

    private void clipToBox(float[] actions, int rows) {
        if (actionLow == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < actionDim; i++) {
                int at = r * actionDim + i;
                actions[at] = (float) Math.max(actionLow[i], Math.min(actionHigh[i], actions[at]));
            }
        }
    }

    // ---- storing ----

    /**
     * Stores the step {@link #act} chose. {@code finalObservations} holds, for each env whose episode ended, the
     * observation it ended on ({@code nextObservations} then already holds the first of the next episode, as
     * vectorised envs auto-reset). When the rollout is full, computes the advantages and trains; returns the
     * training's statistics, or null when no training happened.
     */
    public TrainStats observe(float[] rewards, boolean[] terminated, boolean[] truncated, float[] finalObservations,
                              float[] nextObservations) {
        if (!acted) {
            throw new IllegalStateException("observe needs an act() first");
        }
        acted = false;
        int n = config.nEnvs();
        for (int e = 0; e < n; e++) {
            stepRewards[e] = rewards[e];
            if (truncated[e] && !terminated[e]) {
                // a time limit is not a failure: bootstrap the cut episode from its final observation's value
                policy.predictValues(java.util.Arrays.copyOfRange(finalObservations, e * obsDim, (e + 1) * obsDim), 1);
                stepRewards[e] += (float) (config.gamma() * policy.valueOut[0]);
            }
        }
        rollout.add(stepObs, stepActions, stepRewards, episodeStarts, stepValues, stepLogProbs);
        for (int e = 0; e < n; e++) {
            dones[e] = terminated[e] || truncated[e] ? 1f : 0f;
        }
        System.arraycopy(dones, 0, episodeStarts, 0, n);
        steps += n;
        if (!rollout.full()) {
            return null;
        }
        policy.predictValues(nextObservations, n);
        rollout.computeReturnsAndAdvantages(policy.valueOut, dones, config.gamma(), config.gaeLambda());
        TrainStats stats = train();
        rollout.reset();
        return stats;
    }

    // ---- training ----

    /** Remaining training progress, 1 at the start and 0 at the budget (SB3's progress_remaining). */
    private double progressRemaining() {
        return 1.0 - (double) steps / totalSteps;
    }

    private TrainStats train() {
        double progress = progressRemaining();
        double lrFactor = TrainingTally.scheduled(1.0, config.lrSchedule(), progress);
        double clipRange = TrainingTally.scheduled(config.clipRange(), config.clipRangeSchedule(), progress);
        double explained = rollout.explainedVariance();
        if (!(lrFactor > 0)) {
            return TrainingTally.skipped(explained, clipRange);
        }
        policy.setLrFactor(lrFactor);
        double lr = policy.currentLr();
        boolean ppo = config.objective() == OnPolicyConfig.Objective.CLIPPED_SURROGATE;
        int size = rollout.size();
        int batch = config.batchSize();
        TrainingTally tally = new TrainingTally();
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < config.nEpochs(); epoch++) {
            if (ppo) {
                TrainingTally.shuffle(order, rng);
            }
            for (int start = 0; start < size; start += batch) {
                int rows = Math.min(batch, size - start);
                gather(start, rows);
                MinibatchLoss l = update(rows, ppo, clipRange);
                if (!tally.add(l)) {
                    return tally.diverged(l, explained, lr, clipRange);
                }
            }
        }
        return tally.mean(explained, lr, clipRange, ppo);
    }

    /** Copies rollout rows {@code order[start .. start + rows - 1]} into the minibatch arrays. */
    private void gather(int start, int rows) {
        for (int k = 0; k < rows; k++) {
            int row = order[start + k];
            System.arraycopy(rollout.observations, row * obsDim, mbObs, k * obsDim, obsDim);
            System.arraycopy(rollout.actions, row * actionDim, mbActions, k * actionDim, actionDim);
            mbOldLogProbs[k] = rollout.logProbs[row];
            mbAdvantages[k] = rollout.advantages[row];
            mbReturns[k] = rollout.returns[row];
        }
    }

    /** The losses of one minibatch update (means over its rows). */
    record MinibatchLoss(double policy, double value, double entropy, double approxKl, double clipFraction,
                         double total, double gradNorm) {
    }

    // the minibatch being trained, and what its two halves measured
    private int mbRows;
    private double mbClipRange;
    private boolean mbPpo;
    private double mbPolicyLoss;
    private double mbEntropy;
    private double mbApproxKl;
    private int mbClipped;
    private double mbValueLoss;
    private final Runnable actorHalf = this::actorHalf;
    private final Runnable criticHalf = this::criticHalf;

    /**
     * One gradient step on the gathered minibatch. With N rows, advantages Â (normalised when asked), ratio
     * {@code r = exp(log π(a|s) − log π_old(a|s))}:
     * {@code L = L_policy − ent_coef · mean(H) + vf_coef · mean((R − V)²)}, where PPO's
     * {@code L_policy = −mean(min(r Â, clip(r, 1 − ε, 1 + ε) Â))} has {@code ∂/∂log π = −r Â / N} where the unclipped
     * term is the smaller (else 0), and A2C's {@code L_policy = −mean(Â log π)} has {@code ∂/∂log π = −Â / N}.
     * The actor's half and a separate critic's half touch disjoint data, so with {@code threads >= 2} they run
     * side by side; the results are the same either way.
     */
    MinibatchLoss update(int rows, boolean ppo, double clipRange) {
        if (config.normalizeAdvantage() && rows > 1) {
            normalise(mbAdvantages, rows);
        }
        mbRows = rows;
        mbPpo = ppo;
        mbClipRange = clipRange;
        if (policy.shared()) {
            policy.forwardPolicy(mbObs, rows);
            policyTerms();
            valueTerms();
            policy.backwardPolicy(dPolicy, dValue, rows);
        } else {
            Parallel.run(config.threads(), actorHalf, criticHalf);
        }
        double total = mbPolicyLoss - config.entCoef() * mbEntropy + config.vfCoef() * mbValueLoss;
        double norm = Double.isFinite(total) ? policy.step() : Double.NaN;
        return new MinibatchLoss(mbPolicyLoss, mbValueLoss, mbEntropy, mbApproxKl, (double) mbClipped / rows, total,
            norm);
    }

    private void actorHalf() {
        policy.forwardPolicy(mbObs, mbRows);
        policyTerms();
        policy.backwardPolicy(dPolicy, null, mbRows);
    }

    private void criticHalf() {
        policy.forwardValue(mbObs, mbRows);
        valueTerms();
        policy.backwardValue(dValue);
    }

    /** The policy loss, entropy, KL estimate and clip count of the minibatch, and dLoss/d(policy outputs). */
    private void policyTerms() {
        int rows = mbRows;
        int outputs = distribution.outputs();
        java.util.Arrays.fill(dPolicy, 0, rows * outputs, 0f);
        double policyLoss = 0;
        double entropy = 0;
        double approxKl = 0;
        int clipped = 0;
        double dEntropy = -config.entCoef() / rows;
        for (int k = 0; k < rows; k++) {
            int off = k * outputs;
            double logProb = distribution.logProb(policy.policyOut, off, mbActions, k * actionDim);
            double advantage = mbAdvantages[k];
            double dLogProb;
            if (mbPpo) {
                double logRatio = logProb - mbOldLogProbs[k];
                double ratio = Math.exp(logRatio);
                policyLoss -= surrogate(ratio, advantage, mbClipRange);
                dLogProb = -surrogateGradient(ratio, advantage, mbClipRange) / rows;
                approxKl += (ratio - 1) - logRatio;
                if (Math.abs(ratio - 1) > mbClipRange) {
                    clipped++;
                }
            } else {
                policyLoss -= advantage * logProb;
                dLogProb = -advantage / rows;
            }
            entropy += distribution.entropy(policy.policyOut, off);
            distribution.backward(policy.policyOut, off, mbActions, k * actionDim, dLogProb, dEntropy, dPolicy);
        }
        mbPolicyLoss = policyLoss / rows;
        mbEntropy = entropy / rows;
        mbApproxKl = approxKl / rows;
        mbClipped = clipped;
    }

    /** PPO's clipped surrogate of one sample, {@code min(r A, clip(r, 1 − ε, 1 + ε) A)}. */
    static double surrogate(double ratio, double advantage, double clipRange) {
        double clippedRatio = Math.max(1 - clipRange, Math.min(1 + clipRange, ratio));
        return Math.min(ratio * advantage, clippedRatio * advantage);
    }

    /**
     * ∂ surrogate / ∂ log π(a|s) = {@code r A} where the unclipped term is the minimum (ties included: there the
     * clip is inactive), 0 where the clipped, constant term is smaller: the sample pushed the ratio far enough.
     */
    static double surrogateGradient(double ratio, double advantage, double clipRange) {
        double clippedRatio = Math.max(1 - clipRange, Math.min(1 + clipRange, ratio));
        return ratio * advantage <= clippedRatio * advantage ? ratio * advantage : 0;
    }

    /** The value loss {@code mean((V − R)²)} and dLoss/dV = {@code vf_coef · 2 (V − R) / N}. */
    private void valueTerms() {
        int rows = mbRows;
        double valueLoss = 0;
        for (int k = 0; k < rows; k++) {
            double error = policy.valueOut[k] - mbReturns[k];
            valueLoss += error * error;
            dValue[k] = (float) (config.vfCoef() * 2 * error / rows);
        }
        mbValueLoss = valueLoss / rows;
    }

    /** {@code (a − mean) / (std + 1e-8)} with the unbiased standard deviation, as SB3 computes it in float32. */
    static void normalise(float[] a, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (a[i] - mean) * (a[i] - mean);
        }
        float std = (float) Math.sqrt(var / (n - 1));
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((a[i] - mean) / (std + 1e-8f));
        }
    }

    // ---- inspection, saving ----

    /** The minibatch arrays an update reads, for tests: observations, actions, old log-probs, advantages, returns. */
    float[][] minibatch() {
        return new float[][] {mbObs, mbActions, mbOldLogProbs, mbAdvantages, mbReturns};
    }

    ActorCritic policy() {
        return policy;
    }

    RolloutBuffer rollout() {
        return rollout;
    }

    public void save(OutputStream out) throws IOException {
        policy.save(out);
    }

    public void load(InputStream in) throws IOException {
        policy.load(in);
    }

    /**
     * Everything learning continues from: step count, the pending step's arrays, episode starts, the minibatch order,
     * the random stream, the policy (networks, optimisers) and the rollout collected so far.
     */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.tag(out, "on-policy");
        out.writeLong(steps);
        out.writeBoolean(acted);
        for (float[] a : new float[][] {stepObs, stepActions, stepValues, stepLogProbs, stepRewards, episodeStarts, dones}) {
            dev.ludus.envs.state.StateIO.floats(out, a);
        }
        dev.ludus.envs.state.StateIO.ints(out, order);
        dev.ludus.envs.state.StateIO.random(out, dev.ludus.envs.state.SplitMixRandom.checkpointable(rng, "this learner"));
        policy.writeState(out);
        rollout.writeState(out);
    }

    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.expect(in, "on-policy");
        steps = in.readLong();
        acted = in.readBoolean();
        for (float[] a : new float[][] {stepObs, stepActions, stepValues, stepLogProbs, stepRewards, episodeStarts, dones}) {
            dev.ludus.envs.state.StateIO.floats(in, a);
        }
        dev.ludus.envs.state.StateIO.ints(in, order);
        dev.ludus.envs.state.StateIO.random(in, dev.ludus.envs.state.SplitMixRandom.checkpointable(rng, "this learner"));
        policy.readState(in);
        rollout.readState(in);
    }
}
