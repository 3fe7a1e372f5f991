package dev.ludus.agents.offpolicy;

/** Adam on one scalar (SAC's log α), with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8 and bias correction. */
final class ScalarAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private final double lr;
    private double m;
    private double v;
    private long t;

    ScalarAdam(double lr) {
        this.lr = lr;
    }

    /** The parameter after one step on gradient {@code grad}. */
    double step(double value, double grad) {
        t++;
        m = BETA1 * m + (1 - BETA1) * grad;
        v = BETA2 * v + (1 - BETA2) * grad * grad;
        double mHat = m / (1 - Math.pow(BETA1, t));
        double vHat = v / (1 - Math.pow(BETA2, t));
        return value - lr * mHat / (Math.sqrt(vHat) + EPS);
    }

    void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeDouble(m);
        out.writeDouble(v);
        out.writeLong(t);
    }

    void readState(java.io.DataInputStream in) throws java.io.IOException {
        m = in.readDouble();
        v = in.readDouble();
        t = in.readLong();
    }
}
