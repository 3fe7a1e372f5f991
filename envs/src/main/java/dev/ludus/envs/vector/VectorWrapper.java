package dev.ludus.envs.vector;

import dev.ludus.envs.Space;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Base of vector-env wrappers (Gymnasium's {@code VectorWrapper}): forwards every call to the wrapped
 * vector env; a subclass overrides what it changes.
 */
public abstract class VectorWrapper implements VectorEnv {
    /** The wrapped vector env. */
    protected final VectorEnv env;

    protected VectorWrapper(VectorEnv env) {
        if (env == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the wrapped vector env must not be null");
        }
        this.env = env;
    }

    /** The vector env this wrapper wraps directly. */
    public VectorEnv env() {
        return env;
    }

    @Override
    public int numEnvs() {
        return env.numEnvs();
    }

    @Override
    public Space<?> singleObservationSpace() {
        return env.singleObservationSpace();
    }

    @Override
    public Space<?> singleActionSpace() {
        return env.singleActionSpace();
    }

    @Override
    public int observationSize() {
        return env.observationSize();
    }

    @Override
    public int actionSize() {
        return env.actionSize();
    }

    @Override
    public AutoresetMode autoresetMode() {
        return env.autoresetMode();
    }

    @Override
    public void reset(long seed) {
        env.reset(seed);
        afterReset();
    }

    @Override
    public void reset(long[] seeds) {
        env.reset(seeds);
        afterReset();
    }

    @Override
    public void reset(long[] seeds, LongSupplier[] autoresetSeeds) {
        env.reset(seeds, autoresetSeeds);
        afterReset();
    }

    @Override
    public void step(int[] actions) {
        env.step(actions);
        afterStep();
    }

    @Override
    public void step(double[] actions) {
        env.step(actions);
        afterStep();
    }

    /** Called after every reset of the wrapped env; the buffers hold its results. */
    protected void afterReset() {}

    /** Called after every step of the wrapped env; the buffers hold its results. */
    protected void afterStep() {}

    @Override
    public float[] observations() {
        return env.observations();
    }

    @Override
    public int[] observationIndices() {
        return env.observationIndices();
    }

    @Override
    public double[] rewards() {
        return env.rewards();
    }

    @Override
    public boolean[] terminated() {
        return env.terminated();
    }

    @Override
    public boolean[] truncated() {
        return env.truncated();
    }

    @Override
    public boolean[] autoreset() {
        return env.autoreset();
    }

    @Override
    public boolean[] hasFinalObservation() {
        return env.hasFinalObservation();
    }

    @Override
    public float[] finalObservations() {
        return env.finalObservations();
    }

    @Override
    public Map<String, Object> info(int i) {
        return env.info(i);
    }

    @Override
    public Map<String, Object> finalInfo(int i) {
        return env.finalInfo(i);
    }

    @Override
    public void close() {
        env.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + env + ">";
    }
}
