package dev.ludus.envs;

import java.util.SplittableRandom;

/**
 * A set of values (observations or actions) with membership test and seeded sampling.
 *
 * @param <T> the value type
 */
public interface Space<T> {

    /** True if {@code value} is a member of this space ({@code null} never is). */
    boolean contains(T value);

    /** A random member drawn from {@code rng} (uniform where the space is bounded). */
    T sample(SplittableRandom rng);
}
