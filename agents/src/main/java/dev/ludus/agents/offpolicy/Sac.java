package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Normalization;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.nn.Activation;
import dev.ludus.nn.DivergedException;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Soft Actor-Critic (Haarnoja et al. 2018) as Stable-Baselines3 runs it: a tanh-squashed Gaussian actor
 * ({@link SquashedGaussian}), two Q critics with Polyak-averaged targets ({@link Critics}), and the entropy
 * temperature α tuned towards the target entropy −|A|. Reads top to bottom: acting, storing, one update.
 *
 * <p>One update, in SB3's order, on a batch (s, a, r, s', d): the actor samples ã ~ π(·|s) with log π(ã|s);
 * log α takes an Adam step on {@code −log α · mean(log π(ã|s) − |A|)} (α of this update is read before it);
 * the critics step on {@code ½ Σ_k mean (Q_k(s, a) − y)²} with
 * {@code y = r + γ(1 − d)(min_k Q_target_k(s', a') − α log π(a'|s'))}, a' ~ π(·|s'); the actor steps on
 * {@code mean(α log π(ã|s) − min_k Q_k(s, ã))}, reparameterised through ã, with dQ/dã from the updated critics'
 * input gradients; then the target critics move by τ.
 *
 * <p>Actions live in [-1, 1] inside the agent and the replay; {@link ActionScale} maps them to the env's box.
 */
public final class Sac implements Agent<double[], double[]>, dev.ludus.envs.state.Checkpointable {

    private static final int FORMAT = 0x4C534143; // "LSAC"

    private final ParamValues config;
    // hyperparameters, read once (see SacConfig)
    private final double gamma;
    private final double tau;
    private final int targetUpdateInterval;
    private final boolean autotune;
    private final int threads;
    private final int obsDim;
    private final int actionDim;
    private final ActionScale scale;
    private final RandomGenerator rng;
    private final Network actor;
    private final Optimizer actorOptimizer;
    private final Critics critics;
    private final Normalization normalization;
    private final OffPolicyMemory memory;
    private final BoxReplayBuffer.Batch batch;
    private final double targetEntropy;
    private final ScalarAdam alphaOptimizer;
    private double logAlpha;
    private long updates;
    // scratch, allocated once
    private final float[] actObs;
    private final float[] actOut;
    private final float[] squashed;
    private final double[] actionBuf;
    private final double[] noise;
    private final double[] nextNoise;
    private final float[] policyActions;
    private final float[] nextPolicyActions;
    private final double[] logProbs;
    private final double[] nextLogProbs;
    private final float[] nextOut;
    private final float[] y;
    private final float[] dAction;
    private final float[] dActor;
    private final double[] qMean = new double[1];

    public Sac(AgentContext context) {
        this(context.params(), ((Box) context.observationSpace()).size(), (Box) context.actionSpace(),
            context.totalSteps(), context.random());
    }

    public Sac(ParamValues config, int obsDim, Box actionSpace, long totalSteps, RandomGenerator rng) {
        if (obsDim < 1) {
            throw new IllegalArgumentException("sac needs observations of size >= 1, got " + obsDim);
        }
        this.config = config;
        this.obsDim = obsDim;
        this.scale = new ActionScale(actionSpace);
        this.actionDim = scale.size();
        this.rng = rng;
        gamma = config.get(SacConfig.GAMMA);
        normalization = new Normalization(config, 1, obsDim, gamma);
        tau = config.get(SacConfig.TAU);
        int learningStarts = config.get(SacConfig.LEARNING_STARTS);
        targetUpdateInterval = config.get(SacConfig.TARGET_UPDATE_INTERVAL);
        autotune = config.get(SacConfig.AUTOTUNE);
        threads = config.get(SacConfig.THREADS);
        Init init = config.get(SacConfig.INIT);
        int[] hidden = config.get(SacConfig.HIDDEN);
        double lr = config.get(SacConfig.LR);
        int a = actionDim;
        int b = config.get(SacConfig.BATCH_SIZE);
        // the actor's last layer holds both heads: a means then a raw log standard deviations
        actor = Critics.mlp(obsDim, hidden, 2 * a, Activation.IDENTITY, init, threads, rng.nextLong());
        actorOptimizer = Optimizer.adam(lr);
        critics = new Critics(2, obsDim, a, hidden, init, lr, threads, b, rng);
        TrainSchedule schedule = new TrainSchedule(learningStarts, config.get(SacConfig.TRAIN_FREQ),
            config.get(SacConfig.TRAIN_FREQ_UNIT), config.get(SacConfig.GRADIENT_STEPS));
        memory = new OffPolicyMemory("sac", obsDim, scale, config.get(SacConfig.BUFFER_SIZE), totalSteps, b, schedule,
            normalization, rng);
        batch = memory.batch();
        targetEntropy = -config.get(SacConfig.TARGET_ENTROPY_SCALE) * a;
        alphaOptimizer = new ScalarAdam(lr);
        logAlpha = Math.log(config.get(SacConfig.ALPHA));

        actObs = new float[obsDim];
        actOut = new float[2 * a];
        squashed = new float[a];
        actionBuf = new double[a];
        noise = new double[b * a];
        nextNoise = new double[b * a];
        policyActions = new float[b * a];
        nextPolicyActions = new float[b * a];
        logProbs = new double[b];
        nextLogProbs = new double[b];
        nextOut = new float[b * 2 * a];
        y = new float[b];
        dAction = new float[b * a];
        dActor = new float[b * 2 * a];
    }

    // ---- acting ----

    @Override
    public List<double[]> act(List<double[]> observations, boolean explore) {
        return observations.stream().map(observation -> act(observation, explore)).toList();
    }

    /**
     * The env action for {@code observation}: exploring, uniform random before {@code learning_starts} and a
     * sample of the squashed Gaussian after; otherwise the deterministic tanh(mean).
     */
    public double[] act(double[] observation, boolean explore) {
        if (memory.actsAtRandom(observation, explore, actionBuf)) {
            return scale.toEnv(actionBuf);
        }
        actor.predict(memory.actorInput(observation, actObs), 1, actOut);
        if (explore) {
            for (int j = 0; j < actionDim; j++) {
                noise[j] = rng.nextGaussian();
            }
            SquashedGaussian.sample(actOut, 0, actionDim, noise, 0, squashed, 0);
            for (int j = 0; j < actionDim; j++) {
                actionBuf[j] = squashed[j];
            }
        } else {
            SquashedGaussian.mode(actOut, 0, actionDim, actionBuf);
        }
        return scale.toEnv(actionBuf);
    }

    // ---- storing and training ----

    @Override
    public void observe(List<Transition<double[], double[]>> transitions, Metrics metrics) {
        OffPolicyMemory.storeEach(transitions, this::observe, () -> update(metrics));
        metrics.last("train/alpha", Math.exp(logAlpha));
    }

    /**
     * Stores one transition ({@code action} as the env received it); returns the number of gradient steps the
     * schedule asks for now.
     */
    int observe(double[] observation, double[] action, double reward, double[] nextObservation,
                boolean terminated, boolean truncated) {
        return memory.store(observation, action, reward, nextObservation, terminated, truncated);
    }

    /**
     * One gradient step (see the class comment); reports its losses to {@code metrics}.
     *
     * @throws DivergedException when a loss becomes NaN or infinite
     */
    void update(Metrics metrics) {
        int b = batch.size;
        int a = actionDim;
        int w = obsDim + a;
        memory.sample();

        // noise for ã ~ π(·|s) and a' ~ π(·|s'), drawn in a fixed order whatever the thread count
        for (int i = 0; i < b * a; i++) {
            noise[i] = rng.nextGaussian();
        }
        for (int i = 0; i < b * a; i++) {
            nextNoise[i] = rng.nextGaussian();
        }
        // the actor on s (training mode: kept for its step at the end) and on s' (inference); with two threads
        // each product is split over both (the twin critics run side by side instead, each on one thread)
        float[] out = actor.forwardTrain(batch.observations, b);
        actor.predict(batch.nextObservations, b, nextOut);
        double logProbMean = 0;
        for (int i = 0; i < b; i++) {
            logProbs[i] = SquashedGaussian.sample(out, i * 2 * a, a, noise, i * a, policyActions, i * a);
            logProbMean += logProbs[i] / b;
        }

        // temperature: α of this update is the value before its own step (SB3)
        double alpha = Math.exp(logAlpha);
        double alphaLoss = 0;
        if (autotune) {
            alphaLoss = -logAlpha * (logProbMean + targetEntropy);
            logAlpha = alphaOptimizer.step(logAlpha, -(logProbMean + targetEntropy));
        }

        // critic targets y = r + γ(1 − d)(min_k Q_target_k(s', a') − α log π(a'|s'))
        for (int i = 0; i < b; i++) {
            nextLogProbs[i] = SquashedGaussian.sample(nextOut, i * 2 * a, a, nextNoise, i * a, nextPolicyActions, i * a);
            System.arraycopy(nextPolicyActions, i * a, batch.nextObservationActions, i * w + obsDim, a);
        }
        critics.minTarget(batch.nextObservationActions, b, y);
        for (int i = 0; i < b; i++) {
            double soft = y[i] - alpha * nextLogProbs[i];
            y[i] = (float) (batch.rewards[i] + gamma * (1 - batch.terminals[i]) * soft);
        }
        double criticLoss = critics.train(batch.observationActions, y, 0.5, qMean);
        if (!Double.isFinite(criticLoss)) {
            throw new DivergedException(updates + 1, "critic loss is " + criticLoss);
        }

        // actor: mean(α log π(ã|s) − min_k Q_k(s, ã)) through the updated critics; the batch's [s, a] rows
        // are reused as [s, ã] (the critics are done with them)
        float[] policyInput = batch.observationActions;
        for (int i = 0; i < b; i++) {
            System.arraycopy(policyActions, i * a, policyInput, i * w + obsDim, a);
        }
        double qPolicy = critics.actionGradient(policyInput, true, dAction);
        double actorLoss = alpha * logProbMean - qPolicy;
        for (int i = 0; i < dAction.length; i++) {
            dAction[i] = -dAction[i] / b;
        }
        for (int i = 0; i < b; i++) {
            SquashedGaussian.backward(out, i * 2 * a, a, noise, i * a, alpha / b, dAction, i * a, dActor, i * 2 * a);
        }
        if (!Double.isFinite(actorLoss)) {
            throw new DivergedException(updates + 1, "actor loss is " + actorLoss);
        }
        actor.backward(dActor);
        actorOptimizer.step(actor);

        updates++;
        if (updates % targetUpdateInterval == 0) {
            critics.softUpdateTargets(tau);
        }
        metrics.updates(1);
        metrics.mean("train/actor_loss", actorLoss);
        metrics.mean("train/critic_loss", criticLoss);
        metrics.mean("train/q_mean", qMean[0]);
        metrics.mean("train/entropy", -logProbMean);
        if (autotune) {
            metrics.mean("train/alpha_loss", alphaLoss);
        }
    }

    // ---- inspection, saving ----

    /** The normalisation statistics (tests, inspection). */
    public Normalization normalization() {
        return normalization;
    }

    public ParamValues config() {
        return config;
    }

    public double alpha() {
        return Math.exp(logAlpha);
    }

    public long updates() {
        return updates;
    }

    Network actor() {
        return actor;
    }

    Critics critics() {
        return critics;
    }

    /** Writes log α, the actor, and each critic with its target. */
    @Override
    public void save(OutputStream out) throws IOException {
        normalization.save(out);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeInt(obsDim);
        data.writeInt(actionDim);
        data.writeDouble(logAlpha);
        Critics.saveAll(networks(), data);
    }

    /** The actor, then each critic followed by its target. */
    private Network[] networks() {
        Network[] nets = new Network[1 + 2 * critics.count()];
        nets[0] = actor;
        for (int k = 0; k < critics.count(); k++) {
            nets[1 + 2 * k] = critics.online(k);
            nets[2 + 2 * k] = critics.target(k);
        }
        return nets;
    }

    /** Replaces every network and α with ones {@link #save} wrote from an agent of the same shape; all or nothing. */
    @Override
    public void load(InputStream in) throws IOException {
        DataInputStream data = Normalization.peekable(in);
        Normalization.Loaded statistics = normalization.readHead(data);
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus SAC model (format tag " + Integer.toHexString(format) + ")");
        }
        int d = data.readInt();
        int a = data.readInt();
        if (d != obsDim || a != actionDim) {
            throw new IOException("model is for " + d + " observation and " + a + " action values, this agent has "
                + obsDim + " and " + actionDim);
        }
        double loadedLogAlpha = data.readDouble();
        Critics.loadInto(networks(), data, threads);
        logAlpha = loadedLogAlpha;
        statistics.apply();
    }

    /** Counters, α, the random stream, actor and critics with their optimisers, the replay buffer and schedule. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        memory.writeState(out, counters -> {
            counters.writeLong(updates);
            counters.writeDouble(logAlpha);
            counters.writeDouble(qMean[0]);
        }, networks -> {
            actor.writeState(networks);
            actorOptimizer.writeState(networks);
            critics.writeState(networks);
            networks.writeBoolean(alphaOptimizer != null);
            if (alphaOptimizer != null) {
                alphaOptimizer.writeState(networks);
            }
        });
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        memory.readState(in, counters -> {
            updates = counters.readLong();
            logAlpha = counters.readDouble();
            qMean[0] = counters.readDouble();
        }, networks -> {
            actor.readState(networks);
            actorOptimizer.readState(networks, actor);
            critics.readState(networks);
            if (networks.readBoolean() != (alphaOptimizer != null)) {
                throw new IOException("checkpoint of a sac with another ent_coef setting");
            }
            if (alphaOptimizer != null) {
                alphaOptimizer.readState(networks);
            }
        });
    }
}
