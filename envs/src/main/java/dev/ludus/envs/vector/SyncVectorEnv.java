package dev.ludus.envs.vector;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link VectorEnv} stepping its sub-envs one after another on the caller's thread (Gymnasium 1.x
 * {@code SyncVectorEnv}). Works on any env whose spaces are {@link Box} or {@link Discrete}: registered
 * ones ({@link #make}), plug-ins, and wrapped envs ({@link #of}).
 *
 * <pre>{@code
 * try (VectorEnv envs = SyncVectorEnv.make("CartPole-v1", 8)) {
 *     envs.reset(42);                        // sub-env i gets seed 42 + i
 *     int[] actions = new int[8];
 *     envs.step(actions);
 *     float[] obs = envs.observations();     // 8 x 4, overwritten by the next step
 * }
 * }</pre>
 */
public final class SyncVectorEnv implements VectorEnv {
    private final Env<Object, Object>[] envs;
    private final Space<?> observationSpace;
    private final Space<?> actionSpace;
    private final AutoresetMode mode;
    private final int n;
    private final int obsSize;
    private final int actSize;
    private final boolean discreteObs;
    private final boolean discreteAct;

    private final float[] observations;
    private final int[] observationIndices;
    private final float[] finalObservations;
    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] autoreset;
    private final boolean[] hasFinal;
    /** NEXT_STEP: the sub-env ended in the previous step and is reset by the next one. */
    private final boolean[] needsReset;
    private final Map<String, Object>[] infos;
    private final Map<String, Object>[] finalInfos;
    private final double[][] actionRows;
    private final LongSupplier[] autoresetSeeds;
    private boolean everReset;

    /**
     * Vectorises the given envs (Gymnasium's {@code SyncVectorEnv(env_fns)}).
     *
     * @throws IllegalArgumentException if the list is empty, the envs' spaces differ, or a space is
     *                                  neither Box nor Discrete
     */
    @SuppressWarnings("unchecked")
    public SyncVectorEnv(List<? extends Env<?, ?>> envs, AutoresetMode mode) {
        if (envs == null || envs.isEmpty()) {
            throw new IllegalArgumentException("SyncVectorEnv needs at least one env");
        }
        if (mode == null) {
            throw new IllegalArgumentException("SyncVectorEnv: autoreset mode must not be null");
        }
        this.n = envs.size();
        this.envs = new Env[n];
        for (int i = 0; i < n; i++) {
            Env<?, ?> e = envs.get(i);
            if (e == null) {
                throw new IllegalArgumentException("SyncVectorEnv: env " + i + " is null");
            }
            this.envs[i] = (Env<Object, Object>) e;
        }
        this.mode = mode;
        this.observationSpace = this.envs[0].observationSpace();
        this.actionSpace = this.envs[0].actionSpace();
        for (int i = 1; i < n; i++) {
            if (!observationSpace.equals(this.envs[i].observationSpace())) {
                throw new IllegalArgumentException("SyncVectorEnv: env " + i + " has observation space "
                        + this.envs[i].observationSpace() + ", env 0 has " + observationSpace
                        + "; all sub-envs must have the same spaces");
            }
            if (!actionSpace.equals(this.envs[i].actionSpace())) {
                throw new IllegalArgumentException("SyncVectorEnv: env " + i + " has action space "
                        + this.envs[i].actionSpace() + ", env 0 has " + actionSpace
                        + "; all sub-envs must have the same spaces");
            }
        }
        this.discreteObs = observationSpace instanceof Discrete;
        this.obsSize = size(observationSpace, "observation");
        this.discreteAct = actionSpace instanceof Discrete;
        this.actSize = size(actionSpace, "action");

        observations = new float[n * obsSize];
        observationIndices = discreteObs ? new int[n] : null;
        finalObservations = new float[n * obsSize];
        rewards = new double[n];
        terminated = new boolean[n];
        truncated = new boolean[n];
        autoreset = new boolean[n];
        hasFinal = new boolean[n];
        needsReset = new boolean[n];
        infos = new Map[n];
        finalInfos = new Map[n];
        Arrays.fill(infos, Map.of());
        Arrays.fill(finalInfos, Map.of());
        actionRows = discreteAct ? null : new double[n][actSize];
        autoresetSeeds = new LongSupplier[n];
    }

    /** {@code n} envs from {@code factory} (e.g. {@code () -> new ClipAction(Envs.make(id))}), NEXT_STEP mode. */
    public static SyncVectorEnv of(int n, Supplier<? extends Env<?, ?>> factory) {
        return of(n, factory, AutoresetMode.NEXT_STEP);
    }

    /** {@code n} envs from {@code factory} with the given autoreset mode. */
    public static SyncVectorEnv of(int n, Supplier<? extends Env<?, ?>> factory, AutoresetMode mode) {
        if (n <= 0) {
            throw new IllegalArgumentException("SyncVectorEnv: number of envs must be > 0, got " + n);
        }
        if (factory == null) {
            throw new IllegalArgumentException("SyncVectorEnv: factory must not be null");
        }
        List<Env<?, ?>> list = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                list.add(factory.get());
            }
        } catch (RuntimeException e) {
            list.forEach(Env::close);
            throw e;
        }
        return new SyncVectorEnv(list, mode);
    }

    /** {@code n} copies of the registered env {@code id} ({@link Envs#make(String)}), NEXT_STEP mode. */
    public static SyncVectorEnv make(String id, int n) {
        return make(id, n, Map.of(), AutoresetMode.NEXT_STEP);
    }

    /** {@code n} copies of {@code Envs.make(id, kwargs)} with the given autoreset mode. */
    public static SyncVectorEnv make(String id, int n, Map<String, ?> kwargs, AutoresetMode mode) {
        Envs.spec(id); // unknown ids fail here, before n envs are made
        return of(n, () -> Envs.make(id, kwargs), mode);
    }

    private static int size(Space<?> space, String what) {
        if (space instanceof Discrete) {
            return 1;
        }
        if (space instanceof Box box) {
            return box.size();
        }
        throw new IllegalArgumentException("SyncVectorEnv supports Box and Discrete " + what + " spaces, got "
                + space);
    }

    @Override
    public int numEnvs() {
        return n;
    }

    @Override
    public Space<?> singleObservationSpace() {
        return observationSpace;
    }

    @Override
    public Space<?> singleActionSpace() {
        return actionSpace;
    }

    @Override
    public int observationSize() {
        return obsSize;
    }

    @Override
    public int actionSize() {
        return actSize;
    }

    @Override
    public AutoresetMode autoresetMode() {
        return mode;
    }

    /** Sub-env {@code i} as given (e.g. to reach {@code unwrapped()}); do not step or reset it directly. */
    public Env<?, ?> env(int i) {
        return envs[i];
    }

    @Override
    public void reset(long seed) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = seed + i;
        }
        reset(seeds);
    }

    @Override
    public void reset(long[] seeds) {
        checkSeeds(seeds);
        LongSupplier[] later = new LongSupplier[n];
        for (int i = 0; i < n; i++) {
            later[i] = new SplittableRandom(seeds[i]).split()::nextLong;
        }
        reset(seeds, later);
    }

    @Override
    public void reset(long[] seeds, LongSupplier[] laterSeeds) {
        checkSeeds(seeds);
        if (laterSeeds == null || laterSeeds.length != n) {
            throw new IllegalArgumentException("reset: autoresetSeeds must have one supplier per sub-env (" + n
                    + "), got " + (laterSeeds == null ? "null" : laterSeeds.length));
        }
        for (int i = 0; i < n; i++) {
            if (laterSeeds[i] == null) {
                throw new IllegalArgumentException("reset: autoresetSeeds[" + i + "] is null");
            }
        }
        for (int i = 0; i < n; i++) {
            Reset<Object> r = envs[i].reset(seeds[i]);
            writeObservation(i, r.observation(), observations);
            infos[i] = r.info();
            autoresetSeeds[i] = laterSeeds[i];
        }
        Arrays.fill(rewards, 0.0);
        Arrays.fill(terminated, false);
        Arrays.fill(truncated, false);
        Arrays.fill(autoreset, false);
        Arrays.fill(hasFinal, false);
        Arrays.fill(needsReset, false);
        Arrays.fill(finalInfos, Map.of());
        everReset = true;
    }

    private void checkSeeds(long[] seeds) {
        if (seeds == null || seeds.length != n) {
            throw new IllegalArgumentException("reset: seeds must have one seed per sub-env (" + n + "), got "
                    + (seeds == null ? "null" : seeds.length));
        }
    }

    @Override
    public void step(int[] actions) {
        if (!discreteAct) {
            throw new IllegalStateException("step(int[]) needs a Discrete action space, this one is " + actionSpace
                    + ": use step(double[])");
        }
        if (actions == null || actions.length != n) {
            throw new IllegalArgumentException("step: actions must have one action per sub-env (" + n + "), got "
                    + (actions == null ? "null" : actions.length));
        }
        checkReset();
        for (int i = 0; i < n; i++) {
            stepOne(i, actions[i]); // Integer.valueOf: cached, no allocation for small action spaces
        }
    }

    @Override
    public void step(double[] actions) {
        if (discreteAct) {
            throw new IllegalStateException("step(double[]) needs a Box action space, this one is " + actionSpace
                    + ": use step(int[])");
        }
        if (actions == null || actions.length != n * actSize) {
            throw new IllegalArgumentException("step: actions must hold numEnvs x actionSize = " + n + " x " + actSize
                    + " values, got " + (actions == null ? "null" : actions.length));
        }
        checkReset();
        for (int i = 0; i < n; i++) {
            double[] row = actionRows[i];
            System.arraycopy(actions, i * actSize, row, 0, actSize);
            stepOne(i, row);
        }
    }

    private void checkReset() {
        if (!everReset) {
            throw new IllegalStateException("step() called before reset(); call reset(seed) first");
        }
    }

    private void stepOne(int i, Object action) {
        if (needsReset[i]) {
            // NEXT_STEP: the previous step ended this episode, so this step resets and ignores the action
            Reset<Object> r = envs[i].reset(autoresetSeeds[i].getAsLong());
            writeObservation(i, r.observation(), observations);
            infos[i] = r.info();
            rewards[i] = 0.0;
            terminated[i] = false;
            truncated[i] = false;
            autoreset[i] = true;
            hasFinal[i] = false;
            finalInfos[i] = Map.of();
            needsReset[i] = false;
            return;
        }
        Step<Object> s = envs[i].step(action);
        boolean term = s.terminated();
        boolean trunc = s.truncated();
        rewards[i] = s.reward();
        terminated[i] = term;
        truncated[i] = trunc;
        autoreset[i] = false;
        if (term || trunc) {
            hasFinal[i] = true;
            finalInfos[i] = s.info();
            writeObservation(i, s.observation(), finalObservations);
            if (mode == AutoresetMode.SAME_STEP) {
                Reset<Object> r = envs[i].reset(autoresetSeeds[i].getAsLong());
                writeObservation(i, r.observation(), observations);
                infos[i] = r.info();
            } else {
                System.arraycopy(finalObservations, i * obsSize, observations, i * obsSize, obsSize);
                if (discreteObs) {
                    observationIndices[i] = (int) finalObservations[i];
                }
                infos[i] = s.info();
                needsReset[i] = true;
            }
        } else {
            hasFinal[i] = false;
            finalInfos[i] = Map.of();
            writeObservation(i, s.observation(), observations);
            infos[i] = s.info();
        }
    }

    private void writeObservation(int i, Object observation, float[] buffer) {
        if (discreteObs) {
            if (!(observation instanceof Integer index)) {
                throw new IllegalStateException("sub-env " + i + " returned observation " + observation
                        + ", not an Integer of " + observationSpace);
            }
            buffer[i] = index;
            if (buffer == observations) {
                observationIndices[i] = index;
            }
            return;
        }
        if (!(observation instanceof double[] values) || values.length != obsSize) {
            throw new IllegalStateException("sub-env " + i + " returned observation "
                    + (observation instanceof double[] d ? Arrays.toString(d) : String.valueOf(observation))
                    + ", not a double[" + obsSize + "] of " + observationSpace);
        }
        int offset = i * obsSize;
        for (int j = 0; j < obsSize; j++) {
            buffer[offset + j] = (float) values[j];
        }
    }

    @Override
    public float[] observations() {
        return observations;
    }

    @Override
    public int[] observationIndices() {
        if (!discreteObs) {
            throw new IllegalStateException("observationIndices() needs a Discrete observation space, this one is "
                    + observationSpace + ": use observations()");
        }
        return observationIndices;
    }

    @Override
    public double[] rewards() {
        return rewards;
    }

    @Override
    public boolean[] terminated() {
        return terminated;
    }

    @Override
    public boolean[] truncated() {
        return truncated;
    }

    @Override
    public boolean[] autoreset() {
        return autoreset;
    }

    @Override
    public boolean[] hasFinalObservation() {
        return hasFinal;
    }

    @Override
    public float[] finalObservations() {
        return finalObservations;
    }

    @Override
    public Map<String, Object> info(int i) {
        return infos[i];
    }

    @Override
    public Map<String, Object> finalInfo(int i) {
        return finalInfos[i];
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Env<Object, Object> env : envs) {
            try {
                env.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SyncVectorEnv[" + n + " x " + envs[0] + ", " + mode + "]";
    }
}
