package dev.ludus.envs.state;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * {@link SplittableRandom}'s generator (SplitMix64: {@code seed += gamma}, {@code mix64}; {@code split()} takes
 * a seed and a mixed gamma from its parent) with a state that can be read and restored, so a run can checkpoint
 * its random streams. {@code SplittableRandom} is final and hides its state; this class reproduces its outputs
 * exactly ({@code SplitMixRandomTest} compares every method the project uses), so switching it in keeps every
 * seeded result bit-identical. The bounded and floating-point methods are {@link RandomGenerator}'s defaults,
 * the same ones {@code SplittableRandom} inherits.
 */
public final class SplitMixRandom implements RandomGenerator {

    /** {@code SplittableRandom}'s gamma for a stream made from a seed. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private final long gamma;

    /** The same stream as {@code new SplittableRandom(seed)}. */
    public SplitMixRandom(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private SplitMixRandom(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /**
     * {@code rng} as the SplitMixRandom a checkpoint can hold the state of.
     *
     * @param who what draws from it, as the message names it ({@code "this agent"}, {@code "this dqn"})
     * @throws java.io.IOException when {@code rng} is another generator, whose state cannot be saved
     */
    public static SplitMixRandom checkpointable(RandomGenerator rng, String who) throws java.io.IOException {
        if (!(rng instanceof SplitMixRandom r)) {
            throw new java.io.IOException(who + " draws from a " + rng.getClass().getSimpleName()
                + ", whose state cannot be saved (build it with a SplitMixRandom)");
        }
        return r;
    }

    /** A stream restored from {@link #state()}. */
    public static SplitMixRandom restore(long[] state) {
        if (state.length != 2 || (state[1] & 1) == 0) {
            throw new IllegalArgumentException("a SplitMixRandom state is {seed, odd gamma}, got " + state.length
                + " values");
        }
        return new SplitMixRandom(state[0], state[1]);
    }

    /** {@code {seed, gamma}}: everything that determines the rest of the stream. */
    public long[] state() {
        return new long[] {seed, gamma};
    }

    /** Sets this stream to a {@link #state()} of a stream with the same gamma (fields holding it stay valid). */
    public void setState(long[] state) {
        if (state.length != 2 || state[1] != gamma) {
            throw new IllegalArgumentException("state of another stream (gamma " + (state.length == 2 ? state[1] : "?")
                + ", this one " + gamma + ")");
        }
        seed = state[0];
    }

    /** Sets the seed, keeping the gamma: what {@code reset(seed)} of an env that re-seeds needs. */
    public void reseed(long newSeed) {
        if (gamma != GOLDEN_GAMMA) {
            throw new IllegalStateException("only a stream made from a seed can be re-seeded");
        }
        seed = newSeed;
    }

    /** As {@link SplittableRandom#split()}: a new stream whose seed and gamma come from this one. */
    public SplitMixRandom split() {
        return new SplitMixRandom(nextLong(), mixGamma(nextSeed()));
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
