package dev.ludus.envs;

import java.util.SplittableRandom;

/**
 * The integers {@code 0 .. n-1} (Gymnasium's {@code Discrete(n)}).
 *
 * @param n number of values, {@code > 0}
 */
public record Discrete(int n) implements Space<Integer> {

    public Discrete {
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete.n must be > 0, got " + n);
        }
    }

    @Override
    public boolean contains(Integer value) {
        return value != null && value >= 0 && value < n;
    }

    @Override
    public Integer sample(SplittableRandom rng) {
        return rng.nextInt(n);
    }

    /**
     * Returns {@code action} as an int, or throws an {@link IllegalArgumentException} naming the action
     * and this space. Envs call this at the top of {@code step}.
     */
    public int checkAction(Integer action) {
        if (action == null || action < 0 || action >= n) {
            throw new IllegalArgumentException("action " + action + " is not in the action space " + this);
        }
        return action;
    }

    @Override
    public String toString() {
        return "Discrete(" + n + ")";
    }
}
