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
 * TD3 (Fujimoto et al. 2018) as Stable-Baselines3 runs it, and DDPG as its special case (one critic, an actor
 * update per critic update, no target smoothing): a deterministic tanh actor with a Polyak-averaged target, Q
 * critics with targets ({@link Critics}), Gaussian (or Ornstein-Uhlenbeck) exploration noise. Reads top to bottom:
 * acting, storing, one update.
 *
 * <p>One gradient step on a batch (s, a, r, s', d): the target policy's action is smoothed,
 * {@code a' = clip(μ_target(s') + clip(N(0, σ̃), −c, c), −1, 1)}; the critics step on
 * {@code Σ_k mean (Q_k(s, a) − y)²} with {@code y = r + γ(1 − d) min_k Q_target_k(s', a')}; every
 * {@code policy_delay}-th step the actor steps on {@code −mean Q_1(s, μ(s))} (dQ_1/da from the critic's input
 * gradient, back through μ) and every target network moves by τ.
 */
public final class Td3 implements Agent<double[], double[]>, dev.ludus.envs.state.Checkpointable {

    private static final int FORMAT = 0x4C544433; // "LTD3"

    private final ParamValues config;
    private final String name;
    // hyperparameters, read once (see Td3Config)
    private final double gamma;
    private final double tau;
    private final int policyDelay;
    private final double targetPolicyNoise;
    private final double targetNoiseClip;
    private final int threads;
    private final int obsDim;
    private final int actionDim;
    private final ActionScale scale;
    private final RandomGenerator rng;
    private final Network actor;
    private final Network actorTarget;
    private final Optimizer actorOptimizer;
    private final Critics critics;
    private final ActionNoise noise;
    private final Normalization normalization;
    private final OffPolicyMemory memory;
    private final BoxReplayBuffer.Batch batch;
    private long updates;
    // scratch, allocated once
    private final float[] actObs;
    private final float[] actOut;
    private final double[] actionBuf;
    private final float[] nextActions;
    private final float[] y;
    private final float[] dAction;
    private final double[] qMean = new double[1];

    /** TD3 or DDPG, as {@code switches} says. */
    public Td3(AgentContext context, Td3Config.Switches switches) {
        this(context.params(), switches, ((Box) context.observationSpace()).size(), (Box) context.actionSpace(),
            context.totalSteps(), context.random());
    }

    public Td3(ParamValues config, Td3Config.Switches switches, int obsDim, Box actionSpace, long totalSteps,
               RandomGenerator rng) {
        this.name = switches.agent();
        if (obsDim < 1) {
            throw new IllegalArgumentException(name + " needs observations of size >= 1, got " + obsDim);
        }
        this.config = config;
        this.obsDim = obsDim;
        this.scale = new ActionScale(actionSpace);
        this.actionDim = scale.size();
        this.rng = rng;
        gamma = config.get(Td3Config.GAMMA);
        normalization = new Normalization(config, 1, obsDim, gamma);
        tau = config.get(Td3Config.TAU);
        int learningStarts = config.get(Td3Config.LEARNING_STARTS);
        policyDelay = config.get(switches.policyDelay());
        targetPolicyNoise = config.get(switches.targetPolicyNoise());
        targetNoiseClip = config.get(switches.targetNoiseClip());
        threads = config.get(Td3Config.THREADS);
        Init init = config.get(Td3Config.INIT);
        int[] hidden = config.get(Td3Config.HIDDEN);
        double lr = config.get(Td3Config.LR);
        int a = actionDim;
        int b = config.get(Td3Config.BATCH_SIZE);
        actor = Critics.mlp(obsDim, hidden, a, Activation.TANH, init, threads, rng.nextLong());
        actorTarget = actor.copy();
        actorOptimizer = Optimizer.adam(lr);
        critics = new Critics(config.get(switches.nCritics()), obsDim, a, hidden, init, lr, threads, b, rng);
        noise = ActionNoise.of(config.get(Td3Config.ACTION_NOISE), config.get(Td3Config.NOISE_STD), a);
        TrainSchedule schedule = new TrainSchedule(learningStarts, config.get(Td3Config.TRAIN_FREQ),
            config.get(Td3Config.TRAIN_FREQ_UNIT), config.get(Td3Config.GRADIENT_STEPS));
        memory = new OffPolicyMemory(name, obsDim, scale, config.get(Td3Config.BUFFER_SIZE), totalSteps, b, schedule,
            normalization, rng);
        batch = memory.batch();

        actObs = new float[obsDim];
        actOut = new float[a];
        actionBuf = new double[a];
        nextActions = new float[b * a];
        y = new float[b];
        dAction = new float[b * a];
    }

    // ---- acting ----

    @Override
    public List<double[]> act(List<double[]> observations, boolean explore) {
        return observations.stream().map(observation -> act(observation, explore)).toList();
    }

    /**
     * The env action for {@code observation}: exploring, uniform random before {@code learning_starts}, else
     * μ(s), plus exploration noise, clipped to [-1, 1] (SB3 adds the noise to the random warm-up actions too);
     * otherwise μ(s).
     */
    public double[] act(double[] observation, boolean explore) {
        if (!memory.actsAtRandom(observation, explore, actionBuf)) {
            actor.predict(memory.actorInput(observation, actObs), 1, actOut);
            for (int j = 0; j < actionDim; j++) {
                actionBuf[j] = actOut[j];
            }
        }
        if (explore) {
            noise.addTo(actionBuf, rng);
            for (int j = 0; j < actionDim; j++) {
                actionBuf[j] = Math.max(-1, Math.min(1, actionBuf[j]));
            }
        }
        return scale.toEnv(actionBuf);
    }

    // ---- storing and training ----

    @Override
    public void observe(List<Transition<double[], double[]>> transitions, Metrics metrics) {
        OffPolicyMemory.storeEach(transitions, this::observe, () -> update(metrics));
    }

    /**
     * Stores one transition ({@code action} as the env received it); returns the number of gradient steps the
     * schedule asks for now.
     */
    int observe(double[] observation, double[] action, double reward, double[] nextObservation,
                boolean terminated, boolean truncated) {
        if (terminated || truncated) {
            noise.reset();
        }
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
        updates++;

        // target policy smoothing: a' = clip(μ_target(s') + clip(N(0, σ̃), −c, c), −1, 1)
        actorTarget.predict(batch.nextObservations, b, nextActions);
        double sigma = targetPolicyNoise;
        double clip = targetNoiseClip;
        boolean smooth = sigma > 0 && clip > 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < a; j++) {
                double next = nextActions[i * a + j];
                if (smooth) {
                    next += Math.max(-clip, Math.min(clip, sigma * rng.nextGaussian()));
                }
                batch.nextObservationActions[i * w + obsDim + j] = (float) Math.max(-1, Math.min(1, next));
            }
        }
        // y = r + γ(1 − d) min_k Q_target_k(s', a')
        critics.minTarget(batch.nextObservationActions, b, y);
        for (int i = 0; i < b; i++) {
            y[i] = (float) (batch.rewards[i] + gamma * (1 - batch.terminals[i]) * y[i]);
        }
        double criticLoss = critics.train(batch.observationActions, y, 1.0, qMean);
        if (!Double.isFinite(criticLoss)) {
            throw new DivergedException(updates, "critic loss is " + criticLoss);
        }
        metrics.updates(1);
        metrics.mean("train/critic_loss", criticLoss);
        metrics.mean("train/q_mean", qMean[0]);

        if (updates % policyDelay != 0) {
            return;
        }
        // delayed actor step on −mean Q_1(s, μ(s)); the batch's [s, a] rows are reused as [s, μ(s)]
        float[] mu = actor.forwardTrain(batch.observations, b);
        float[] policyInput = batch.observationActions;
        for (int i = 0; i < b; i++) {
            System.arraycopy(mu, i * a, policyInput, i * w + obsDim, a);
        }
        double actorLoss = -critics.actionGradient(policyInput, false, dAction);
        if (!Double.isFinite(actorLoss)) {
            throw new DivergedException(updates, "actor loss is " + actorLoss);
        }
        for (int i = 0; i < b * a; i++) {
            dAction[i] = -dAction[i] / b;
        }
        actor.backward(dAction);
        actorOptimizer.step(actor);
        critics.softUpdateTargets(tau);
        actorTarget.softUpdateFrom(actor, tau);
        metrics.mean("train/actor_loss", actorLoss);
    }

    // ---- inspection, saving ----

    /** The normalisation statistics (tests, inspection). */
    public Normalization normalization() {
        return normalization;
    }

    public ParamValues config() {
        return config;
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

    /** Writes the actor, its target, and each critic with its target. */
    @Override
    public void save(OutputStream out) throws IOException {
        normalization.save(out);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeInt(obsDim);
        data.writeInt(actionDim);
        data.writeInt(critics.count());
        Critics.saveAll(networks(), data);
    }

    /** The actor and its target, then each critic followed by its target. */
    private Network[] networks() {
        Network[] nets = new Network[2 + 2 * critics.count()];
        nets[0] = actor;
        nets[1] = actorTarget;
        for (int k = 0; k < critics.count(); k++) {
            nets[2 + 2 * k] = critics.online(k);
            nets[3 + 2 * k] = critics.target(k);
        }
        return nets;
    }

    /** Replaces every network with ones {@link #save} wrote from an agent of the same shape; all or nothing. */
    @Override
    public void load(InputStream in) throws IOException {
        DataInputStream data = Normalization.peekable(in);
        Normalization.Loaded statistics = normalization.readHead(data);
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus TD3/DDPG model (format tag " + Integer.toHexString(format) + ")");
        }
        int d = data.readInt();
        int a = data.readInt();
        int n = data.readInt();
        if (d != obsDim || a != actionDim || n != critics.count()) {
            throw new IOException("model is for " + d + " observation and " + a + " action values with " + n
                + " critics, this " + name + " agent has " + obsDim + ", " + actionDim + " and " + critics.count());
        }
        Critics.loadInto(networks(), data, threads);
        statistics.apply();
    }

    /** Counters, the random stream and noise process, actor (and target) and critics, the replay buffer, schedule. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        memory.writeState(out, counters -> {
            counters.writeLong(updates);
            counters.writeDouble(qMean[0]);
        }, networks -> {
            noise.writeState(networks);
            actor.writeState(networks);
            actorTarget.writeState(networks);
            actorOptimizer.writeState(networks);
            critics.writeState(networks);
        });
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        memory.readState(in, counters -> {
            updates = counters.readLong();
            qMean[0] = counters.readDouble();
        }, networks -> {
            noise.readState(networks);
            actor.readState(networks);
            actorTarget.readState(networks);
            actorOptimizer.readState(networks, actor);
            critics.readState(networks);
        });
    }
}
