package dev.ludus.agents.replay;

/**
 * A sampled minibatch in flat, row-major arrays, allocated once and refilled by every
 * {@link Replay#sample} call so the training loop allocates nothing per update.
 */
public final class Batch {
    public final int size;
    public final int obsDim;
    /** {@code size x obsDim} */
    public final float[] observations;
    /** {@code size x obsDim}: the state to bootstrap from (after n steps with n-step returns) */
    public final float[] nextObservations;
    public final int[] actions;
    /** the (n-step discounted) reward sum */
    public final float[] rewards;
    /** factor on the bootstrapped value: γ^k, or 0 when the episode terminated within the k steps */
    public final float[] discounts;
    /** importance-sampling weights (all 1 for uniform replay) */
    public final float[] weights;
    /** buffer slots of the rows, for priority updates */
    public final int[] indices;

    public Batch(int size, int obsDim) {
        if (size <= 0 || obsDim <= 0) {
            throw new IllegalArgumentException("Batch: size and obsDim must be > 0, got " + size + " and " + obsDim);
        }
        this.size = size;
        this.obsDim = obsDim;
        observations = new float[size * obsDim];
        nextObservations = new float[size * obsDim];
        actions = new int[size];
        rewards = new float[size];
        discounts = new float[size];
        weights = new float[size];
        indices = new int[size];
    }
}
