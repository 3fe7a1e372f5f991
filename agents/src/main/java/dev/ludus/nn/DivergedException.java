package dev.ludus.nn;

/** A loss, gradient or weight became NaN or infinite; the message reads "diverged at step N: what". */
public final class DivergedException extends RuntimeException {
    private final long step;

    public DivergedException(long step, String what) {
        super("diverged at step " + step + ": " + what);
        this.step = step;
    }

    /** The 1-based update step at which the non-finite value appeared. */
    public long step() {
        return step;
    }
}
