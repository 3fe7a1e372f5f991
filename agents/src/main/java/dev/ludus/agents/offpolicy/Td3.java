package dev.ludus.agents.offpolicy;

import dev.ludus.envs.Box;
import dev.ludus.nn.Activation;
import dev.ludus.nn.DivergedException;
import dev.ludus.nn.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

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
public final class Td3 {

    private static final int FORMAT = 0x4C544433; // "LTD3"

    private final Td3Config config;
    private final String name;
    private final int obsDim;
    private final int actionDim;
    private final ActionScale scale;
    private final SplittableRandom rng;
    private final Network actor;
    private final Network actorTarget;
    private final Optimizer actorOptimizer;
    private final Critics critics;
    private final ActionNoise noise;
    private final BoxReplayBuffer replay;
    private final BoxReplayBuffer.Batch batch;
    private final TrainSchedule schedule;
    private long step;
    private long updates;
    // scratch, allocated once
    private final float[] actObs;
    private final float[] actOut;
    private final float[] stored;
    private final double[] actionBuf;
    private final float[] nextActions;
    private final float[] y;
    private final float[] dAction;
    private final double[] qMean = new double[1];
    // metric sums since the last metrics() call
    private int windowUpdates;
    private int windowActorUpdates;
    private double windowActorLoss;
    private double windowCriticLoss;
    private double windowQ;

    /** {@code name} is td3 or ddpg, for messages and the saved format. */
    public Td3(String name, Td3Config config, int obsDim, Box actionSpace, long totalSteps, SplittableRandom rng) {
        if (obsDim < 1) {
            throw new IllegalArgumentException(name + " needs observations of size >= 1, got " + obsDim);
        }
        this.name = name;
        this.config = config;
        this.obsDim = obsDim;
        this.scale = new ActionScale(actionSpace);
        this.actionDim = scale.size();
        this.rng = rng;
        Init init = Init.valueOf(config.init().toUpperCase(Locale.ROOT));
        int a = actionDim;
        int b = config.batchSize();
        actor = Critics.mlp(obsDim, config.hidden(), a, Activation.TANH, init, config.threads(), rng.nextLong());
        actorTarget = actor.copy();
        actorOptimizer = Optimizer.adam(config.lr());
        critics = new Critics(config.nCritics(), obsDim, a, config.hidden(), init, config.lr(), config.threads(), b, rng);
        noise = ActionNoise.of(config.actionNoise(), config.noiseStd(), a);
        int capacity = (int) Math.max(b, Math.min(config.bufferSize(), Math.max(1, totalSteps)));
        replay = new BoxReplayBuffer(capacity, obsDim, a);
        batch = new BoxReplayBuffer.Batch(b, obsDim, a);
        schedule = new TrainSchedule(config.learningStarts(), config.trainFreq(), config.trainFreqUnit(),
            config.gradientSteps());

        actObs = new float[obsDim];
        actOut = new float[a];
        stored = new float[a];
        actionBuf = new double[a];
        nextActions = new float[b * a];
        y = new float[b];
        dAction = new float[b * a];
    }

    // ---- acting ----

    /**
     * The env action for {@code observation}: exploring, uniform random before {@code learning_starts}, else
     * μ(s), plus exploration noise, clipped to [-1, 1] (SB3 adds the noise to the random warm-up actions too);
     * otherwise μ(s).
     */
    public double[] act(double[] observation, boolean explore) {
        if (explore && step < config.learningStarts()) {
            for (int j = 0; j < actionDim; j++) {
                actionBuf[j] = rng.nextDouble() * 2 - 1;
            }
        } else {
            for (int j = 0; j < obsDim; j++) {
                actObs[j] = (float) observation[j];
            }
            actor.predict(actObs, 1, actOut);
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

    /**
     * Stores one transition ({@code action} as the env received it) and trains when the schedule says so;
     * returns the number of gradient steps made.
     *
     * @throws DivergedException when a loss becomes NaN or infinite
     */
    public int observe(double[] observation, double[] action, double reward, double[] nextObservation,
                       boolean terminated, boolean truncated) {
        step++;
        double[] unit = scale.fromEnv(action);
        for (int j = 0; j < actionDim; j++) {
            stored[j] = (float) Math.max(-1, Math.min(1, unit[j]));
        }
        replay.add(observation, stored, reward, nextObservation, terminated);
        boolean episodeEnded = terminated || truncated;
        if (episodeEnded) {
            noise.reset();
        }
        int steps = schedule.afterStep(step, episodeEnded);
        for (int k = 0; k < steps; k++) {
            update();
        }
        return steps;
    }

    private void update() {
        int b = batch.size;
        int a = actionDim;
        int w = obsDim + a;
        replay.sample(batch, rng);
        updates++;

        // target policy smoothing: a' = clip(μ_target(s') + clip(N(0, σ̃), −c, c), −1, 1)
        actorTarget.predict(batch.nextObservations, b, nextActions);
        double sigma = config.targetPolicyNoise();
        double clip = config.targetNoiseClip();
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
            y[i] = (float) (batch.rewards[i] + config.gamma() * (1 - batch.terminals[i]) * y[i]);
        }
        double criticLoss = critics.train(batch.observationActions, y, 1.0, qMean);
        if (!Double.isFinite(criticLoss)) {
            throw new DivergedException(updates, "critic loss is " + criticLoss);
        }
        windowUpdates++;
        windowCriticLoss += criticLoss;
        windowQ += qMean[0];

        if (updates % config.policyDelay() != 0) {
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
        critics.softUpdateTargets(config.tau());
        actorTarget.softUpdateFrom(actor, config.tau());
        windowActorUpdates++;
        windowActorLoss += actorLoss;
    }

    /**
     * Means since the last call: {@code train/critic_loss}, {@code train/q_mean} over the gradient steps,
     * {@code train/actor_loss} over the (delayed) actor steps; empty when none ran.
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (windowActorUpdates > 0) {
            m.put("train/actor_loss", windowActorLoss / windowActorUpdates);
        }
        if (windowUpdates > 0) {
            m.put("train/critic_loss", windowCriticLoss / windowUpdates);
            m.put("train/q_mean", windowQ / windowUpdates);
        }
        windowUpdates = 0;
        windowActorUpdates = 0;
        windowActorLoss = 0;
        windowCriticLoss = 0;
        windowQ = 0;
        return m;
    }

    // ---- inspection, saving ----

    public Td3Config config() {
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
    public void save(OutputStream out) throws IOException {
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
    public void load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
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
        Critics.loadInto(networks(), data, config.threads());
    }
}
