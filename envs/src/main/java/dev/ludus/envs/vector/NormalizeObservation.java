package dev.ludus.envs.vector;

import dev.ludus.envs.wrappers.NormalizingWrapper;
import dev.ludus.envs.Box;
import dev.ludus.envs.wrappers.ObservationNormalizer;
import dev.ludus.envs.wrappers.RunningMeanStd;

/**
 * Normalises Box observations with running statistics, as Stable-Baselines3's {@code VecNormalize}
 * ({@code norm_obs=True}): {@code clip((obs - mean) / sqrt(var + epsilon), -clip, clip)}, with mean and
 * variance from a {@link RunningMeanStd} updated with every observation batch of {@code reset} and
 * {@code step} while training. The final observations of ended episodes are normalised too (SB3
 * normalises {@code terminal_observation}), with the statistics of the same step.
 *
 * <p>Training flag: {@link #freeze()} (or {@code setTraining(false)}) stops the updates, e.g. for
 * evaluation; {@link #state()} / {@link #load(double[])} save and restore the statistics as a plain
 * array so an agent can store them with its model. The raw observations stay readable through
 * {@link #originalObservations()} (SB3's {@code get_original_obs}).
 */
public final class NormalizeObservation extends VectorWrapper implements NormalizingWrapper {
    /** SB3's {@code clip_obs}. */
    public static final double DEFAULT_CLIP = ObservationNormalizer.DEFAULT_CLIP;
    /** SB3's {@code epsilon}. */
    public static final double DEFAULT_EPSILON = ObservationNormalizer.DEFAULT_EPSILON;

    private final ObservationNormalizer normalizer;
    private final float[] observations;
    private final float[] finalObservations;

    /** SB3's defaults: clip 10, epsilon 1e-8. */
    public NormalizeObservation(VectorEnv env) {
        this(env, DEFAULT_CLIP, DEFAULT_EPSILON);
    }

    public NormalizeObservation(VectorEnv env, double clip, double epsilon) {
        super(env);
        if (!(env.singleObservationSpace() instanceof Box)) {
            throw new IllegalArgumentException("NormalizeObservation needs a Box observation space, got "
                    + env.singleObservationSpace());
        }
        normalizer = new ObservationNormalizer(env.observationSize(), clip, epsilon, "NormalizeObservation");
        observations = new float[env.numEnvs() * env.observationSize()];
        finalObservations = new float[observations.length];
    }

    @Override
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    @Override
    protected void afterReset() {
        normalizer.update(env.observations(), env.numEnvs());
        normalizer.normalize(env.observations(), observations, env.numEnvs(), null);
    }

    @Override
    protected void afterStep() {
        normalizer.update(env.observations(), env.numEnvs());
        normalizer.normalize(env.observations(), observations, env.numEnvs(), null);
        normalizer.normalize(env.finalObservations(), finalObservations, env.numEnvs(), env.hasFinalObservation());
    }

    /** The normalised observations. */
    @Override
    public float[] observations() {
        return observations;
    }

    /** The normalised final observations (rows marked by {@link #hasFinalObservation()}). */
    @Override
    public float[] finalObservations() {
        return finalObservations;
    }

    /** The wrapped env's observations, before normalisation. */
    public float[] originalObservations() {
        return env.observations();
    }

    /** The wrapped env's final observations, before normalisation. */
    public float[] originalFinalObservations() {
        return env.finalObservations();
    }
}
