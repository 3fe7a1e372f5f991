package dev.ludus.agents.offpolicy;

import dev.ludus.envs.Box;

/**
 * Maps the policies' squashed actions in [-1, 1] to a bounded Box and back (SB3's {@code scale_action} /
 * {@code unscale_action}): {@code env = low + (a + 1) / 2 * (high - low)}.
 */
public final class ActionScale {
    private final double[] low;
    private final double[] high;

    public ActionScale(Box space) {
        this.low = space.low();
        this.high = space.high();
        for (int j = 0; j < low.length; j++) {
            if (!Double.isFinite(low[j]) || !Double.isFinite(high[j])) {
                throw new IllegalArgumentException("needs a bounded Box action space, got " + space);
            }
        }
    }

    public int size() {
        return low.length;
    }

    /** The env action for squashed action {@code a} (each entry in [-1, 1]). */
    public double[] toEnv(double[] a) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = low[j] + (a[j] + 1) * 0.5 * (high[j] - low[j]);
        }
        return out;
    }

    /** The squashed action in [-1, 1] for an env action inside the box. */
    public double[] fromEnv(double[] action) {
        double[] out = new double[action.length];
        for (int j = 0; j < action.length; j++) {
            double range = high[j] - low[j];
            out[j] = range == 0 ? 0 : 2 * (action[j] - low[j]) / range - 1;
        }
        return out;
    }
}
