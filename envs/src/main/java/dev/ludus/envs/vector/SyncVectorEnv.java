package dev.ludus.envs.vector;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.FlatStep;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link VectorEnv} stepping its sub-envs one after another on the caller's thread (Gymnasium 1.x
 * {@code SyncVectorEnv}). Works on any env whose spaces are {@link Box} or {@link Discrete}: registered
 * ones ({@link #make}), plug-ins, and wrapped envs ({@link #of}). When every sub-env implements
 * {@link FlatStep} (the built-in CartPole, MountainCar and Acrobot, also through {@code Envs.make}), a
 * step goes straight into the buffers without a {@code Step} object, an observation array or a boxed
 * action; other envs take {@code Env.step} and their observation is copied in.
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
public final class SyncVectorEnv implements VectorEnv, Checkpointable, Checkpointable.Wrapping {
    private static final Map<String, Object> NO_INFO = Map.of();
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
    private final Object[] infos;
    private final Object[] finalInfos;
    private final double[][] actionRows;
    private final LongSupplier[] autoresetSeeds;
    /** Set when every sub-env steps flat ({@link FlatStep}): the allocation-free path for Discrete actions. */
    private final FlatStep[] flatEnvs;
    private boolean everReset;
    /** The autoreset seed streams made by {@link #reset(long[])}, kept for checkpoints; null when the caller's. */
    private SplitMixRandom[] ownSeedStreams;

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
        infos = new Object[n];
        finalInfos = new Object[n];
        Arrays.fill(infos, Map.of());
        Arrays.fill(finalInfos, Map.of());
        actionRows = discreteAct ? null : new double[n][actSize];
        autoresetSeeds = new LongSupplier[n];
        flatEnvs = flatEnvs(this.envs, discreteAct && !discreteObs);
    }

    private static FlatStep[] flatEnvs(Env<?, ?>[] envs, boolean eligible) {
        if (!eligible) {
            return null;
        }
        FlatStep[] flat = new FlatStep[envs.length];
        for (int i = 0; i < envs.length; i++) {
            if (!(envs[i] instanceof FlatStep f) || !f.flatStepSupported()) {
                return null;
            }
            flat[i] = f;
        }
        return flat;
    }

    /** True when the sub-envs step straight into the buffers ({@link FlatStep}), allocating nothing. */
    public boolean flatStepping() {
        return flatEnvs != null;
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
        SplitMixRandom[] streams = new SplitMixRandom[n];
        for (int i = 0; i < n; i++) {
            streams[i] = new SplitMixRandom(seeds[i]).split(); // = new SplittableRandom(seeds[i]).split()
            later[i] = streams[i]::nextLong;
        }
        reset(seeds, later);
        ownSeedStreams = streams;
    }

    @Override
    public void reset(long[] seeds, LongSupplier[] laterSeeds) {
        checkSeeds(seeds);
        ownSeedStreams = null;
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
            write(i, r.observation(), observations);
            infos[i] = r.info();
            autoresetSeeds[i] = laterSeeds[i];
        }
        Arrays.fill(rewards, 0.0);
        Arrays.fill(terminated, false);
        Arrays.fill(truncated, false);
        Arrays.fill(autoreset, false);
        Arrays.fill(hasFinal, false);
        Arrays.fill(needsReset, false);
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
        // every action is checked before any sub-env moves, so a bad one leaves the batch untouched
        int actionCount = ((Discrete) actionSpace).n();
        for (int i = 0; i < n; i++) {
            if (actions[i] < 0 || actions[i] >= actionCount) {
                throw new IllegalArgumentException("actions[" + i + "]: action " + actions[i]
                        + " is not in the action space " + actionSpace + "; no sub-env was stepped");
            }
        }
        if (flatEnvs != null) {
            for (int i = 0; i < n; i++) {
                stepFlat(i, actions[i]);
            }
            return;
        }
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
        for (int j = 0; j < actions.length; j++) {
            if (!Double.isFinite(actions[j])) {
                throw new IllegalArgumentException("actions[" + j + "] (sub-env " + j / actSize + "): " + actions[j]
                        + " is not finite; no sub-env was stepped");
            }
        }
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

    /**
     * The hot path, kept small so the JIT inlines it whole. Infos go to {@code Object[]} arrays (no
     * array-store type check) and are not cleared per step: {@link #finalInfo} consults {@code hasFinal}.
     */
    private void stepOne(int i, Object action) {
        if (needsReset[i]) {
            autoresetNow(i);
            return;
        }
        Step<Object> s = envs[i].step(action);
        boolean ended = s.terminated() | s.truncated();
        rewards[i] = s.reward();
        terminated[i] = s.terminated();
        truncated[i] = s.truncated();
        autoreset[i] = false;
        hasFinal[i] = ended;
        infos[i] = s.info();
        if (ended) {
            episodeEnded(i, s.observation(), s.info());
        } else {
            write(i, s.observation(), observations);
        }
    }

    /** {@link #stepOne} for {@link FlatStep} envs: the env writes into the buffers; their infos are always empty. */
    private void stepFlat(int i, int action) {
        if (needsReset[i]) {
            autoresetNow(i);
            return;
        }
        rewards[i] = flatEnvs[i].stepInto(action, observations, i * obsSize, terminated, truncated, i);
        boolean ended = terminated[i] | truncated[i];
        autoreset[i] = false;
        hasFinal[i] = ended;
        if (infos[i] != NO_INFO) {
            infos[i] = NO_INFO;
        }
        if (ended) {
            finalInfos[i] = NO_INFO;
            System.arraycopy(observations, i * obsSize, finalObservations, i * obsSize, obsSize);
            if (mode == AutoresetMode.SAME_STEP) {
                Reset<Object> r = envs[i].reset(autoresetSeeds[i].getAsLong());
                write(i, r.observation(), observations);
                infos[i] = r.info();
            } else {
                needsReset[i] = true;
            }
        }
    }

    /** NEXT_STEP: the previous step ended this episode, so this step resets and ignores the action. */
    private void autoresetNow(int i) {
        Reset<Object> r = envs[i].reset(autoresetSeeds[i].getAsLong());
        write(i, r.observation(), observations);
        infos[i] = r.info();
        rewards[i] = 0.0;
        terminated[i] = false;
        truncated[i] = false;
        autoreset[i] = true;
        hasFinal[i] = false;
        needsReset[i] = false;
    }

    private void episodeEnded(int i, Object lastObservation, Map<String, Object> lastInfo) {
        finalInfos[i] = lastInfo;
        write(i, lastObservation, finalObservations);
        if (mode == AutoresetMode.SAME_STEP) {
            Reset<Object> r = envs[i].reset(autoresetSeeds[i].getAsLong());
            write(i, r.observation(), observations);
            infos[i] = r.info();
        } else {
            System.arraycopy(finalObservations, i * obsSize, observations, i * obsSize, obsSize);
            if (discreteObs) {
                observationIndices[i] = (int) finalObservations[i];
            }
            needsReset[i] = true;
        }
    }

    private void write(int i, Object observation, float[] buffer) {
        if (discreteObs) {
            writeIndex(i, observation, buffer);
        } else if (observation instanceof double[] values && values.length == obsSize) {
            int offset = i * obsSize;
            for (int j = 0; j < values.length; j++) {
                buffer[offset + j] = (float) values[j];
            }
        } else {
            throw badObservation(i, observation);
        }
    }

    private void writeIndex(int i, Object observation, float[] buffer) {
        if (!(observation instanceof Integer index)) {
            throw badObservation(i, observation);
        }
        buffer[i] = index;
        if (buffer == observations) {
            observationIndices[i] = index;
        }
    }

    private IllegalStateException badObservation(int i, Object observation) {
        return new IllegalStateException("sub-env " + i + " returned observation "
                + (observation instanceof double[] d ? Arrays.toString(d) : String.valueOf(observation))
                + ", not " + (discreteObs ? "an Integer" : "a double[" + obsSize + "]") + " of " + observationSpace);
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
    @SuppressWarnings("unchecked")
    public Map<String, Object> info(int i) {
        return (Map<String, Object>) infos[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> finalInfo(int i) {
        return hasFinal[i] ? (Map<String, Object>) finalInfos[i] : Map.of();
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

    @Override
    public java.util.List<?> wrapped() {
        return java.util.List.of((Object[]) envs);
    }

    /**
     * The step buffers (the current observations above all), the autoreset flags, the seed streams this vector env
     * made itself (those passed to {@link #reset(long[], LongSupplier[])} are the caller's to checkpoint), and every
     * sub-env's state. Infos are not kept: after a restore they are empty until the next step.
     */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "SyncVectorEnv " + n);
        StateIO.floats(out, observations);
        if (observationIndices != null) {
            StateIO.ints(out, observationIndices);
        }
        StateIO.floats(out, finalObservations);
        StateIO.doubles(out, rewards);
        for (boolean[] flags : new boolean[][] {terminated, truncated, autoreset, hasFinal, needsReset}) {
            StateIO.booleans(out, flags);
        }
        out.writeBoolean(everReset);
        out.writeBoolean(ownSeedStreams != null);
        if (ownSeedStreams != null) {
            for (SplitMixRandom r : ownSeedStreams) {
                StateIO.random(out, r);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!(envs[i] instanceof Checkpointable c)) {
                throw new IOException("sub-env " + i + " (" + envs[i].getClass().getName() + ") cannot checkpoint its state");
            }
            c.writeState(out);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "SyncVectorEnv " + n);
        StateIO.floats(in, observations);
        if (observationIndices != null) {
            StateIO.ints(in, observationIndices);
        }
        StateIO.floats(in, finalObservations);
        StateIO.doubles(in, rewards);
        for (boolean[] flags : new boolean[][] {terminated, truncated, autoreset, hasFinal, needsReset}) {
            StateIO.booleans(in, flags);
        }
        everReset = in.readBoolean();
        if (in.readBoolean()) {
            SplitMixRandom[] streams = new SplitMixRandom[n];
            for (int i = 0; i < n; i++) {
                streams[i] = StateIO.random(in);
                autoresetSeeds[i] = streams[i]::nextLong;
            }
            ownSeedStreams = streams;
        }
        for (int i = 0; i < n; i++) {
            if (!(envs[i] instanceof Checkpointable c)) {
                throw new IOException("sub-env " + i + " (" + envs[i].getClass().getName() + ") cannot checkpoint its state");
            }
            c.readState(in);
        }
        Arrays.fill(infos, Map.of());
        Arrays.fill(finalInfos, Map.of());
    }
}
