package dev.ludus.envs.vector;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A batch of {@link #numEnvs()} copies of one env stepped together (Gymnasium 1.x {@code VectorEnv}),
 * with flat primitive buffers so a training loop allocates nothing per step.
 *
 * <p><b>Buffers.</b> After {@code reset} or {@code step}, the results are read from buffers the
 * vector env owns and overwrites in place on the next call (Gymnasium's {@code copy=False}); copy what
 * you keep. Sub-env {@code i}'s observation is {@code observations()[i * observationSize() ..
 * (i + 1) * observationSize())}.
 * <ul>
 *   <li>{@link #observations()}: {@code float[numEnvs * observationSize]}. Box observations are the env's
 *       {@code double} values rounded to float32 (the built-in envs already hold float32 values, as
 *       Gymnasium reports them, so nothing is lost); a Discrete observation is its index (exact below
 *       2^24), also available as ints in {@link #observationIndices()}. float because the network core
 *       takes {@code float[]} batches: a policy reads this buffer directly.</li>
 *   <li>{@link #rewards()} {@code double[numEnvs]}, {@link #terminated()} and {@link #truncated()}
 *       {@code boolean[numEnvs]}.</li>
 *   <li>{@link #hasFinalObservation()} marks the sub-envs whose episode ended in this step; their last
 *       observation is row {@code i} of {@link #finalObservations()} (for bootstrapping a truncated
 *       episode from {@code V(final observation)}). Filled in both autoreset modes; in
 *       {@link AutoresetMode#NEXT_STEP NEXT_STEP} it equals row {@code i} of {@code observations()}.</li>
 *   <li>{@link #autoreset()} marks, in NEXT_STEP mode, the sub-envs this step reset instead of stepping:
 *       their action was ignored, reward is 0, flags false, and the observation is the new episode's
 *       first. Not a transition: skip these rows when storing experience. Always all false in SAME_STEP.</li>
 * </ul>
 *
 * <p><b>Actions.</b> {@link #step(int[])} for a {@link Discrete} action space ({@code int[numEnvs]}),
 * {@link #step(double[])} for a {@link Box} ({@code double[numEnvs * actionSize]}, row-major). The other
 * one throws. The arrays are read during the call only.
 *
 * <p><b>Seeds.</b> Ludus envs have no unseeded reset, so every reset takes a seed: {@link #reset(long)}
 * resets sub-env {@code i} with {@code seed + i} (Gymnasium); the seeds of later autoresets come from a
 * per-sub-env {@link LongSupplier}, by default {@code new SplittableRandom(firstSeed).split()} where
 * {@code firstSeed} is the seed that sub-env was reset with (a stream independent of the one a
 * built-in env seeds from {@code firstSeed}). {@link #reset(long[], LongSupplier[])} chooses both, e.g.
 * one {@code SplittableRandom(seed)} giving the first seed and every later one.
 */
public interface VectorEnv extends AutoCloseable {

    /** Number of sub-envs. */
    int numEnvs();

    /** The observation space of one sub-env ({@link Box} or {@link Discrete}). */
    Space<?> singleObservationSpace();

    /** The action space of one sub-env ({@link Box} or {@link Discrete}). */
    Space<?> singleActionSpace();

    /** Floats per sub-env in {@link #observations()}: the Box's size, or 1 for Discrete. */
    int observationSize();

    /** Values per sub-env in an action: 1 for Discrete, the Box's size otherwise. */
    int actionSize();

    /** When sub-envs whose episode ended are reset. */
    AutoresetMode autoresetMode();

    /**
     * Resets every sub-env, sub-env {@code i} with {@code seed + i}; later autoresets of sub-env {@code i}
     * take their seeds from {@code new SplittableRandom(seed + i).split()}.
     */
    void reset(long seed);

    /** Resets sub-env {@code i} with {@code seeds[i]}; later autoreset seeds as in {@link #reset(long)}. */
    void reset(long[] seeds);

    /**
     * Resets sub-env {@code i} with {@code seeds[i]}; each later autoreset of sub-env {@code i} is seeded
     * with {@code autoresetSeeds[i].getAsLong()}. The suppliers are kept until the next reset.
     */
    void reset(long[] seeds, LongSupplier[] autoresetSeeds);

    /** Steps every sub-env of a Discrete action space; {@code actions.length == numEnvs()}. */
    void step(int[] actions);

    /** Steps every sub-env of a Box action space; {@code actions.length == numEnvs() * actionSize()}. */
    void step(double[] actions);

    /** Observations after the last call, {@code numEnvs * observationSize}, as described above. */
    float[] observations();

    /** The Discrete observation indices after the last call; throws for a Box observation space. */
    int[] observationIndices();

    /** Rewards of the last step (zeros after a reset). */
    double[] rewards();

    /** Which sub-envs reached a terminal state in the last step. */
    boolean[] terminated();

    /** Which sub-envs were cut off (time limit) in the last step. */
    boolean[] truncated();

    /** Which sub-envs the last step reset instead of stepping (NEXT_STEP mode only). */
    boolean[] autoreset();

    /** Which sub-envs ended an episode in the last step, i.e. have a row in {@link #finalObservations()}. */
    boolean[] hasFinalObservation();

    /** Last observations of the episodes that ended in the last step; rows of other sub-envs are stale. */
    float[] finalObservations();

    /** The info map of sub-env {@code i}'s last reset or step (the reset's when it autoreset). */
    Map<String, Object> info(int i);

    /** The info map of the step that ended sub-env {@code i}'s episode in the last step; empty otherwise. */
    Map<String, Object> finalInfo(int i);

    /** Closes every sub-env. */
    @Override
    void close();
}
