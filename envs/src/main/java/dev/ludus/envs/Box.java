package dev.ludus.envs;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A box in R^k (Gymnasium's {@code Box}): values are {@code double[]} of length
 * {@code k = prod(shape)} in row-major order, each within {@code [low[i], high[i]]}. Bounds may be
 * infinite. The arrays are copied in and out, so a Box is immutable.
 *
 * @param low   lower bounds, length {@code prod(shape)}
 * @param high  upper bounds, same length, {@code low[i] <= high[i]}
 * @param shape dimensions, each {@code > 0}
 */
public record Box(double[] low, double[] high, int[] shape) implements Space<double[]> {

    public Box {
        if (low == null || high == null || shape == null) {
            throw new IllegalArgumentException("Box: low, high and shape must not be null");
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("Box.shape must have at least one dimension");
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Box.shape must be positive, got " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("Box: low has " + low.length + " and high " + high.length
                    + " values but shape " + Arrays.toString(shape) + " needs " + size);
        }
        for (int i = 0; i < low.length; i++) {
            if (Double.isNaN(low[i]) || Double.isNaN(high[i]) || low[i] > high[i]) {
                throw new IllegalArgumentException("Box: low[" + i + "] = " + low[i] + " must be <= high[" + i
                        + "] = " + high[i]);
            }
        }
        low = low.clone();
        high = high.clone();
        shape = shape.clone();
    }

    /** A one-dimensional box with the given bounds. */
    public Box(double[] low, double[] high) {
        this(low, high, new int[] {low == null ? 0 : low.length});
    }

    /** A box with the same scalar bounds in every dimension. */
    public static Box uniform(double low, double high, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= Math.max(d, 0);
        }
        double[] lo = new double[size];
        double[] hi = new double[size];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new Box(lo, hi, shape);
    }

    /** Number of values, {@code prod(shape)}. */
    public int size() {
        return low.length;
    }

    @Override
    public double[] low() {
        return low.clone();
    }

    @Override
    public double[] high() {
        return high.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Lower bound of dimension {@code i} without copying the array. */
    public double low(int i) {
        return low[i];
    }

    /** Upper bound of dimension {@code i} without copying the array. */
    public double high(int i) {
        return high[i];
    }

    @Override
    public boolean contains(double[] value) {
        if (value == null || value.length != low.length) {
            return false;
        }
        for (int i = 0; i < value.length; i++) {
            double v = value[i];
            // written so that NaN is outside
            if (!(v >= low[i] && v <= high[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * As Gymnasium: uniform on bounded dimensions, exponential shifted by the bound on half-bounded
     * ones, standard normal on unbounded ones.
     */
    @Override
    public double[] sample(SplittableRandom rng) {
        double[] out = new double[low.length];
        for (int i = 0; i < out.length; i++) {
            boolean lowFinite = Double.isFinite(low[i]);
            boolean highFinite = Double.isFinite(high[i]);
            if (lowFinite && highFinite) {
                out[i] = low[i] == high[i] ? low[i] : low[i] + (high[i] - low[i]) * rng.nextDouble();
            } else if (lowFinite) {
                out[i] = low[i] + exponential(rng);
            } else if (highFinite) {
                out[i] = high[i] - exponential(rng);
            } else {
                out[i] = gaussian(rng);
            }
        }
        return out;
    }

    /**
     * Checks a Box action: right length and finite values (bounds are the env's business: some clip).
     * Throws an {@link IllegalArgumentException} naming the action and this space.
     */
    public double[] checkShape(double[] action) {
        if (action == null || action.length != low.length) {
            throw new IllegalArgumentException("action " + (action == null ? "null" : Arrays.toString(action))
                    + " is not in the action space " + this + ": expected " + low.length + " values");
        }
        for (double v : action) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("action " + Arrays.toString(action)
                        + " is not in the action space " + this + ": values must be finite");
            }
        }
        return action;
    }

    private static double exponential(SplittableRandom rng) {
        return -Math.log(1.0 - rng.nextDouble());
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; one value is enough here
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high)
                && Arrays.equals(shape, b.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(low) + Arrays.hashCode(high)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Box(" + Arrays.toString(low) + ", " + Arrays.toString(high) + ", " + Arrays.toString(shape) + ")";
    }
}
