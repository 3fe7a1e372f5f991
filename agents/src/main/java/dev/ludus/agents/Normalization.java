package dev.ludus.agents;

import dev.ludus.envs.wrappers.ObservationNormalizer;
import dev.ludus.envs.wrappers.ReturnNormalizer;
import dev.ludus.envs.wrappers.RunningMeanStd;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Observation and reward normalisation inside an agent, as rl-baselines3-zoo's {@code normalize: true} wraps the
 * training envs in Stable-Baselines3's {@code VecNormalize} (same math: {@link ObservationNormalizer},
 * {@link ReturnNormalizer}). Inside the agent rather than around the env because the statistics belong to the
 * trained policy: they are written into the agent's model file, and an agent acting deterministically (evaluation,
 * a re-scored snapshot, a reloaded model) uses them frozen.
 *
 * <p>Exploring acts fold each step's observations into the statistics before normalising them, as VecNormalize
 * does with the observations {@code reset} and {@code step} return; the final observation of an ended episode is
 * normalised with the statistics as they are (VecNormalize has already folded in the reset observations of that
 * step — a difference of one batch in the running mean). Rewards are scaled by the running standard deviation of
 * the discounted return with the agent's own γ, as the zoo passes it.
 *
 * <p>Off-policy agents keep raw observations and rewards in their replay buffer and normalise a sampled batch with
 * the statistics as they are at sampling time, as SB3 does with a VecNormalize env ({@link #learnObservation},
 * {@link #learnRewards}, {@link #normalizeObservationRows}, {@link #scaleRewards}).
 */
public final class Normalization implements dev.ludus.envs.state.Checkpointable {

    public static final Param<Boolean> NORMALIZE_OBS = Param.flag("normalize_obs", false,
        "normalise observations by running mean and variance (SB3 VecNormalize norm_obs); the statistics are saved "
            + "with the model and frozen when evaluating");
    public static final Param<Boolean> NORMALIZE_REWARD = Param.flag("normalize_reward", false,
        "scale training rewards by the running std of the discounted return (VecNormalize norm_reward, with the "
            + "agent's gamma); evaluation reports raw returns");
    public static final Param<Double> CLIP_OBS = Param.real("clip_obs", ObservationNormalizer.DEFAULT_CLIP,
        "normalised observations are clipped to [-clip_obs, clip_obs]").greaterThan(0);
    public static final Param<Double> CLIP_REWARD = Param.real("clip_reward", ReturnNormalizer.DEFAULT_CLIP,
        "scaled rewards are clipped to [-clip_reward, clip_reward]").greaterThan(0);

    /** The four params, to add to an agent's {@link ParamSet}. */
    public static final Param<?>[] PARAMS = {NORMALIZE_OBS, NORMALIZE_REWARD, CLIP_OBS, CLIP_REWARD};

    /** Tag of the statistics block in a model file ("LNRM"); the block is written only when a normaliser is on. */
    public static final int FORMAT = 0x4C4E524D;
    private static final int VERSION = 1;

    private final int obsDim;
    private final ObservationNormalizer observations;
    private final ReturnNormalizer rewards;
    private final double[] rawRewards;
    private final double[] scaledRewards;

    /**
     * @param numEnvs envs the agent steps side by side
     * @param obsDim  floats per observation
     * @param gamma   the agent's discount, for the reward's running return
     */
    public Normalization(ParamValues values, int numEnvs, int obsDim, double gamma) {
        this.obsDim = obsDim;
        observations = values.get(NORMALIZE_OBS)
            ? new ObservationNormalizer(obsDim, values.get(CLIP_OBS), ObservationNormalizer.DEFAULT_EPSILON, "clip_obs")
            : null;
        rewards = values.get(NORMALIZE_REWARD)
            ? new ReturnNormalizer(numEnvs, gamma, values.get(CLIP_REWARD), ReturnNormalizer.DEFAULT_EPSILON, "clip_reward")
            : null;
        rawRewards = new double[numEnvs];
        scaledRewards = new double[numEnvs];
    }

    /** True if either normaliser is on. */
    public boolean enabled() {
        return observations != null || rewards != null;
    }

    /** The observation statistics, or null when {@code normalize_obs} is off. */
    public RunningMeanStd observationStatistics() {
        return observations == null ? null : observations.statistics();
    }

    /** The discounted return's statistics, or null when {@code normalize_reward} is off. */
    public RunningMeanStd returnStatistics() {
        return rewards == null ? null : rewards.statistics();
    }

    /**
     * Normalises {@code rows} observations in place; with {@code learn} (an exploring act) folds them into the
     * statistics first. A no-op when {@code normalize_obs} is off.
     */
    public void observations(float[] obs, int rows, boolean learn) {
        if (observations == null) {
            return;
        }
        if (learn) {
            observations.update(obs, rows);
        }
        observations.normalize(obs, obs, rows, null);
    }

    /** Scales one step's rewards (one per env) in place; {@code ended[e]} restarts env e's return. */
    public void rewards(float[] stepRewards, boolean[] ended) {
        if (rewards == null) {
            return;
        }
        for (int e = 0; e < rawRewards.length; e++) {
            rawRewards[e] = stepRewards[e];
        }
        rewards.scale(rawRewards, null, ended, scaledRewards);
        for (int e = 0; e < rawRewards.length; e++) {
            stepRewards[e] = (float) scaledRewards[e];
        }
    }

    /** Off-policy acting: folds one exploring step's raw observation into the statistics. */
    public void learnObservation(double[] observation) {
        if (observations != null) {
            observations.update(observation, 1);
        }
    }

    /** Off-policy storing: folds one step's raw rewards into the return statistics (the buffer keeps them raw). */
    public void learnRewards(double[] stepRewards, boolean[] ended) {
        if (rewards != null) {
            rewards.scale(stepRewards, null, ended, scaledRewards);
        }
    }

    /** Normalises in place the first {@code obsDim} values of {@code rows} rows {@code stride} apart (no update). */
    public void normalizeObservationRows(float[] data, int rows, int stride) {
        if (observations != null) {
            observations.normalizeRows(data, rows, stride);
        }
    }

    /** Scales {@code rows} replayed rewards in place with the return statistics as they are (no update). */
    public void scaleRewards(float[] replayed, int rows) {
        if (rewards == null) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            replayed[i] = (float) rewards.scaled(replayed[i]);
        }
    }

    /** Writes the statistics block, or nothing when both normalisers are off (model files stay as before). */
    public void save(OutputStream out) throws IOException {
        if (!enabled()) {
            return;
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeInt(VERSION);
        writeState(data, observations == null ? null : observations.state());
        writeState(data, rewards == null ? null : rewards.state());
        data.flush();
    }

    private static void writeState(DataOutputStream data, double[] state) throws IOException {
        data.writeInt(state == null ? -1 : state.length);
        if (state != null) {
            for (double v : state) {
                data.writeDouble(v);
            }
        }
    }

    /**
     * Reads a block {@link #save} wrote, after its tag (the caller read it to know a block is there), and returns
     * how to apply it; nothing changes until {@link Loaded#apply()}, so a model whose networks do not fit leaves the
     * statistics as they were. A block that does not fit this agent's params says which param differs.
     */
    public Loaded read(DataInputStream data) throws IOException {
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("normalisation statistics of version " + version + " (this Ludus reads "
                + VERSION + ")");
        }
        double[] obsState = readState(data, 1 + 2 * obsDim);
        double[] returnState = readState(data, 3);
        checkPresence(NORMALIZE_OBS, obsState != null, observations != null);
        checkPresence(NORMALIZE_REWARD, returnState != null, rewards != null);
        try {
            if (obsState != null) {
                new RunningMeanStd(obsDim).load(obsState);
            }
            if (returnState != null) {
                new RunningMeanStd(1).load(returnState);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupted normalisation statistics: " + e.getMessage(), e);
        }
        return () -> {
            if (obsState != null) {
                observations.load(obsState);
            }
            if (returnState != null) {
                rewards.load(returnState);
            }
        };
    }

    /**
     * A model file's reader that can look at its head ({@link #readHead}); wrap the agent's input stream once.
     */
    public static DataInputStream peekable(InputStream in) {
        return new DataInputStream(new BufferedInputStream(in));
    }

    /**
     * Reads the statistics block at the head of a model file if there is one (else leaves the stream where it was),
     * checks it against this agent's params, and returns how to apply it once the rest of the file loaded.
     */
    public Loaded readHead(DataInputStream data) throws IOException {
        data.mark(Integer.BYTES);
        if (data.readInt() == FORMAT) {
            return read(data);
        }
        data.reset();
        checkNoBlock();
        return () -> { };
    }

    /** The check of a model file without a statistics block: fine only if both normalisers are off. */
    public void checkNoBlock() throws IOException {
        checkPresence(NORMALIZE_OBS, false, observations != null);
        checkPresence(NORMALIZE_REWARD, false, rewards != null);
    }

    private static void checkPresence(Param<Boolean> param, boolean inFile, boolean here) throws IOException {
        if (inFile != here) {
            throw new IOException("model was saved with " + param.name() + "=" + inFile + ", this agent has "
                + param.name() + "=" + here);
        }
    }

    private static double[] readState(DataInputStream data, int expected) throws IOException {
        int length = data.readInt();
        if (length == -1) {
            return null;
        }
        if (length != expected) {
            throw new IOException("normalisation statistics of " + length + " values do not fit this agent ("
                + expected + ")");
        }
        double[] state = new double[length];
        for (int i = 0; i < length; i++) {
            state[i] = data.readDouble();
        }
        return state;
    }

    /** Statistics read and checked, applied on {@link #apply()}. */
    @FunctionalInterface
    public interface Loaded {
        void apply();
    }

    /** Both normalisers' statistics, running returns and flags (a checkpoint; nothing when both are off). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        if (observations != null) {
            observations.writeState(out);
        }
        if (rewards != null) {
            rewards.writeState(out);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        if (observations != null) {
            observations.readState(in);
        }
        if (rewards != null) {
            rewards.readState(in);
        }
    }
}
