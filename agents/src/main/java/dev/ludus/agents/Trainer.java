package dev.ludus.agents;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import dev.ludus.envs.vector.AutoresetMode;
import dev.ludus.envs.vector.SyncVectorEnv;
import dev.ludus.envs.vector.VectorEnv;
import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import dev.ludus.nn.DivergedException;
import dev.ludus.run.Checkpoints;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The training loop shared by every agent, collect → learn: {@code n} envs step in lock-step (n = 1 unless the
 * agent declares {@code n_envs}), the agent acts on all observations (exploring), every env steps, the agent
 * observes the n transitions and learns when its own schedule says so; an env whose episode ended is reset at
 * once (its transition keeps the final observation). {@code step} counts env steps summed over the envs.
 * Reports through a {@link RunListener} (keys of docs/design.md section 3, step = env steps):
 * {@code episode/return}, {@code episode/length} at each episode end; every {@code logEvery} steps each key the
 * agent reported through {@link Metrics} (means over the window, gauges' latest values),
 * {@code perf/updates_per_s}, {@code perf/steps_per_s}; and every {@code evalEvery} steps and at the end
 * {@code eval/return_mean}, {@code eval/return_std} from deterministic ({@code explore = false}) episodes on a
 * separate env whose seeds are fixed for the run (so evaluations are comparable).
 *
 * <p>After training the listener receives two artifacts: {@value #FINAL_MODEL} (the agent's
 * {@link Agent#save} at the end) and {@value #BEST_MODEL} (a snapshot taken at the best evaluation, as SB3's
 * {@code EvalCallback} keeps it); the summary adds {@code eval/return_best} and its step. A diverged run still
 * hands over the best snapshot taken before it diverged.
 *
 * <p>Env i's episodes are seeded from its own {@link SplittableRandom} stream, env 0's being
 * {@code new SplittableRandom(seed)}; the agent gets {@code new SplittableRandom(seed ^ AGENT_SEED_SALT)}. The
 * same seed (and thread count) gives the same episode returns. The cancel flag is polled every
 * {@value #POLL_EVERY} steps and between evaluation episodes. A NaN or infinite reported mean, or a
 * {@link DivergedException}, ends the run {@link RunOutcome.Status#DIVERGED} with "diverged at step N";
 * everything reported before stays reported.
 */
public final class Trainer {

    static final int POLL_EVERY = 256;
    /** Mixed into the run seed for the agent's random stream, so it differs from the episodes' seeds. */
    public static final long AGENT_SEED_SALT = 0x5DEECE66DL;

    /**
     * @param steps              env-step budget (summed over envs), > 0
     * @param evalEvery          env steps between evaluations; 0 = only at the end
     * @param evalEpisodes       evaluation episodes per evaluation, > 0
     * @param seed               seeds the agent and the training and evaluation episodes
     * @param logEvery           env steps between train/perf reports, > 0
     * @param maxEvalEpisodeSteps cut-off for an evaluation episode of an env without time limit
     */
    public record Settings(long steps, long evalEvery, int evalEpisodes, long seed, long logEvery,
                           int maxEvalEpisodeSteps) {
        public Settings {
            Params.atLeast("steps", steps, 1);
            Params.atLeast("eval_every", evalEvery, 0);
            Params.atLeast("eval_episodes", evalEpisodes, 1);
            Params.atLeast("log_every", logEvery, 1);
            Params.atLeast("max_eval_episode_steps", maxEvalEpisodeSteps, 1);
        }

        /** Reports about 500 times per run, evaluation cut-off 10,000 steps. */
        public Settings(long steps, long evalEvery, int evalEpisodes, long seed) {
            this(steps, evalEvery, evalEpisodes, seed, Math.max(100, steps / 500), 10_000);
        }
    }

    /** Mean and standard deviation of the returns of one evaluation. */
    public record Evaluation(double mean, double std, double[] returns) {
    }

    private Trainer() {
    }

    /**
     * Trains agent {@code agent} of the registry on env {@code envId}: makes its envs (the spec's
     * {@code n_envs}) as one {@link SyncVectorEnv}, an evaluation env, the agent with its seeded random stream,
     * and runs the loop.
     *
     * @param params validated values of the agent's params ({@link AgentSpec#resolve})
     */
    public static RunOutcome train(AgentSpec agent, ParamValues params, String envId, Settings settings,
                                   RunListener listener) {
        return train(agent, params, envId, () -> Envs.make(envId), settings, listener);
    }

    /**
     * As {@link #train(AgentSpec, ParamValues, String, Settings, RunListener)}, with every env (the training
     * envs and the evaluation env) made by {@code makeEnv}: env keyword arguments, checking wrappers.
     *
     * @param envId the env's id, for messages
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static RunOutcome train(AgentSpec agent, ParamValues params, String envId,
                                   Supplier<? extends Env<?, ?>> makeEnv, Settings settings, RunListener listener) {
        return train(agent, params, envId, makeEnv, settings, listener, Checkpoints.NONE);
    }

    /**
     * As {@link #train(AgentSpec, ParamValues, String, Supplier, Settings, RunListener)}, checkpointing on the
     * schedule of {@code checkpoints} and resuming from its checkpoint when there is one (see
     * {@link #train(Agent, VectorEnv, Env, Settings, RunListener, Checkpoints)}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static RunOutcome train(AgentSpec agent, ParamValues params, String envId,
                                   Supplier<? extends Env<?, ?>> makeEnv, Settings settings, RunListener listener,
                                   Checkpoints checkpoints) {
        int n = agent.numEnvs(params);
        List<Env<?, ?>> subEnvs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subEnvs.add(makeEnv.get());
        }
        try (VectorEnv envs = new SyncVectorEnv(subEnvs, AutoresetMode.SAME_STEP);
             Env evalEnv = makeEnv.get()) {
            agent.checkSpaces(envs.singleObservationSpace(), envs.singleActionSpace(), envId);
            Agent made = agent.factory().create(new AgentContext(envs.singleObservationSpace(),
                envs.singleActionSpace(), params, n, settings.steps(),
                settings.seed() ^ AGENT_SEED_SALT));
            return train(made, envs, evalEnv, settings, listener, checkpoints);
        }
    }

    /** One env: the loop on a one-env {@link SyncVectorEnv} (the env is not closed here). */
    public static <O, A> RunOutcome train(Agent<O, A> agent, Env<O, A> env, Env<O, A> evalEnv, Settings settings,
                                          RunListener listener) {
        if (env == evalEnv) {
            throw new IllegalArgumentException("evalEnv: evaluation needs its own env instance, not the training env");
        }
        return train(agent, new SyncVectorEnv(List.of(env), AutoresetMode.SAME_STEP), evalEnv, settings, listener);
    }

    /**
     * The loop over the sub-envs of {@code envs} ({@link AutoresetMode#SAME_STEP}: an ended episode's env is
     * reset within the step, its final observation kept for the transition); {@code evalEnv} is separate.
     */
    public static <O, A> RunOutcome train(Agent<O, A> agent, VectorEnv envs, Env<O, A> evalEnv, Settings settings,
                                          RunListener listener) {
        return train(agent, envs, evalEnv, settings, listener, Checkpoints.NONE);
    }

    /**
     * The loop, checkpointing: when {@code checkpoints} says one is due (after a lock-step), the whole loop state is
     * written — counters, the log window, the summary and best snapshot, the episode seed streams, the vector env's
     * and every sub-env's state, the agent's state ({@link Checkpointable}) and every metric point reported so far.
     * If the checkpoint file holds this trial's state at the start, the loop restores it, reports the recorded points
     * again (so the run's stored series is complete) and continues from that step: the episode returns, metrics
     * (except the wall-clock {@code perf/*}) and final model are those of a run never interrupted. An agent or env
     * without the state contract cannot be checkpointed: the run trains from step 0, noted once.
     */
    public static <O, A> RunOutcome train(Agent<O, A> agent, VectorEnv envs, Env<O, A> evalEnv, Settings settings,
                                          RunListener outer, Checkpoints checkpoints) {
        boolean checkpointing = checkpoints.enabled() && checkpointable(agent, envs, checkpoints);
        RecordingListener listener = new RecordingListener(outer, checkpointing);
        if (envs.autoresetMode() != AutoresetMode.SAME_STEP) {
            throw new IllegalArgumentException("envs: the Trainer needs AutoresetMode.SAME_STEP, got "
                + envs.autoresetMode());
        }
        int n = envs.numEnvs();
        Batches<O, A> batches = new Batches<>(envs);
        SplitMixRandom[] episodeSeeds = episodeSeedStreams(settings.seed(), n);
        long[] evalSeeds = evaluationSeeds(settings.seed(), settings.evalEpisodes());
        Map<String, Double> summary = new LinkedHashMap<>();
        Best best = new Best();
        Window window = new Window();

        long step = 0;
        long episodes = 0;
        long totalUpdates = 0;
        double[] recentReturns = new double[100];
        long evalNanosTotal = 0;
        long windowStart = System.nanoTime();
        long windowStep = 0;
        long windowEvalNanos = 0;

        long[] firstSeeds = new long[n];
        LongSupplier[] laterSeeds = new LongSupplier[n];
        for (int i = 0; i < n; i++) {
            firstSeeds[i] = episodeSeeds[i].nextLong();
            laterSeeds[i] = episodeSeeds[i]::nextLong;
        }
        envs.reset(firstSeeds, laterSeeds);
        double[] episodeReturn = new double[n];
        long[] episodeLength = new long[n];
        LoopState state = new LoopState(episodeReturn, episodeLength, recentReturns, episodeSeeds, window, best, summary);
        if (checkpointing) {
            DataInputStream saved = checkpoints.load();
            if (saved != null) {
                try {
                    state.read(saved, agent, envs, listener);
                    step = state.step;
                    episodes = state.episodes;
                    totalUpdates = state.totalUpdates;
                    windowStep = state.windowStep;
                    summary.put("run/resumed_from_step", (double) step);
                    checkpoints.note("resumed from step " + step);
                } catch (IOException | RuntimeException e) {
                    // a state that does not fit (e.g. written by other code): the parts may be half restored, so the run fails
                    throw new IllegalStateException("checkpoint " + checkpoints.file() + " cannot be restored ("
                        + e.getMessage() + ")", e);
                }
            }
        }
        Steps<O, A> steps = new Steps<>(agent, batches, listener, window, episodeReturn, episodeLength, recentReturns,
            step, episodes);
        long start = System.nanoTime();
        while (step < settings.steps()) {
            // the envs step in Steps.run up to the next lock-step at which something is due: the hot loop is a small
            // method the JIT compiles once for every trial, and the once-a-run branches below are not in it
            long due = Math.min(settings.steps(), Math.min(nextMultiple(step, settings.logEvery()),
                nextMultiple(step, POLL_EVERY)));
            if (settings.evalEvery() > 0) {
                due = Math.min(due, nextMultiple(step, settings.evalEvery()));
            }
            if (checkpointing) {
                due = Math.min(due, checkpoints.nextStepDue(step));
            }
            boolean finite = steps.run(due);
            episodes = steps.episodes;
            if (steps.diverged != null) {
                DivergedException e = steps.diverged;
                summarise(summary, steps.step + n, episodes, totalUpdates + window.updates, recentReturns,
                    System.nanoTime() - start - evalNanosTotal);
                best.emit(listener);
                return new RunOutcome(RunOutcome.Status.DIVERGED, summary,
                    "diverged at step " + (steps.step + n) + ": "
                        + e.getMessage().replaceFirst("^diverged at step \\d+: ", "") + " (gradient update " + e.step() + ")");
            }
            long previous = steps.step - n;
            step = steps.step;
            if (!finite) {
                String message = "diverged at step " + step + ": " + window.nonFinite + " is " + window.nonFiniteValue;
                summarise(summary, step, episodes, totalUpdates + window.updates, recentReturns,
                    System.nanoTime() - start - evalNanosTotal);
                best.emit(listener);
                return new RunOutcome(RunOutcome.Status.DIVERGED, summary, message);
            }
            boolean last = step >= settings.steps();
            if (crossed(previous, step, settings.logEvery()) || last) {
                long now = System.nanoTime();
                double seconds = Math.max(1e-9, (now - windowStart - windowEvalNanos) / 1e9);
                window.report(listener, step);
                listener.metric("perf/updates_per_s", step, window.updates / seconds);
                listener.metric("perf/steps_per_s", step, (step - windowStep) / seconds);
                totalUpdates += window.updates;
                window.clear();
                windowStart = now;
                windowStep = step;
                windowEvalNanos = 0;
            }
            if (settings.evalEvery() > 0 && crossed(previous, step, settings.evalEvery()) || last) {
                long evalStart = System.nanoTime();
                Evaluation evaluation = evaluate(agent, evalEnv, evalSeeds, settings.maxEvalEpisodeSteps(), listener);
                if (evaluation == null) {
                    emitFinal(agent, listener);
                    best.emit(listener);
                    return cancelled(summary, step, episodes, totalUpdates + window.updates, recentReturns, start);
                }
                listener.metric("eval/return_mean", step, evaluation.mean());
                listener.metric("eval/return_std", step, evaluation.std());
                summary.put("eval/return_mean", evaluation.mean());
                summary.put("eval/return_std", evaluation.std());
                best.offer(agent, evaluation.mean(), step, summary);
                long evalNanos = System.nanoTime() - evalStart;
                windowEvalNanos += evalNanos;
                evalNanosTotal += evalNanos;
            }
            if (crossed(previous, step, POLL_EVERY) && listener.cancelled()) {
                if (checkpointing && !last) {
                    // a server stopping cancels its trials: this checkpoint lets the next start resume right here
                    // (a user's cancel ends the run, and its owner removes the file)
                    checkpointNow(checkpoints, state, step, episodes, totalUpdates, windowStep, agent, envs, listener);
                }
                emitFinal(agent, listener);
                best.emit(listener);
                return cancelled(summary, step, episodes, totalUpdates + window.updates, recentReturns, start);
            }
            if (checkpointing && !last && checkpoints.due(previous, step)) {
                checkpointing = checkpointNow(checkpoints, state, step, episodes, totalUpdates, windowStep, agent, envs,
                    listener);
            }
        }
        summarise(summary, step, episodes, totalUpdates, recentReturns, System.nanoTime() - start - evalNanosTotal);
        emitFinal(agent, listener);
        best.emit(listener);
        return RunOutcome.finished(summary);
    }

    /**
     * The hot loop: lock-steps of the envs (act, step, observe, episode ends) up to a given step. The loop around it
     * handles what is due once in a while (logs, evaluations, polls, checkpoints, the end of the run). Kept apart so
     * that the JIT compiles this small method once and every trial reuses it: inside one long loop, the branch taken
     * only at a run's last step made HotSpot throw the whole compiled loop away (an "unstable_if" trap) and compile
     * it again, on-stack, in every trial.
     */
    private static final class Steps<O, A> {
        private final Agent<O, A> agent;
        private final Batches<O, A> batches;
        private final RunListener listener;
        private final Window window;
        private final double[] episodeReturn;
        private final long[] episodeLength;
        private final double[] recentReturns;
        private final int n;
        private List<O> observations;
        long step;
        long episodes;
        /** Set when the agent's update diverged: {@link #step} is then the step before the failed lock-step. */
        DivergedException diverged;

        Steps(Agent<O, A> agent, Batches<O, A> batches, RunListener listener, Window window, double[] episodeReturn,
              long[] episodeLength, double[] recentReturns, long step, long episodes) {
            this.agent = agent;
            this.batches = batches;
            this.listener = listener;
            this.window = window;
            this.episodeReturn = episodeReturn;
            this.episodeLength = episodeLength;
            this.recentReturns = recentReturns;
            this.n = episodeReturn.length;
            this.observations = batches.observations();
            this.step = step;
            this.episodes = episodes;
        }

        /**
         * Lock-steps until {@code step >= until}; false if the agent reported a non-finite value or diverged (then
         * the lock-step's episode ends are not reported), true otherwise.
         */
        boolean run(long until) {
            while (step < until) {
                List<A> actions = agent.act(observations, true);
                batches.step(actions);
                List<O> next = batches.observations();
                List<Transition<O, A>> transitions = batches.transitions(observations, actions, next);
                try {
                    agent.observe(transitions, window);
                } catch (DivergedException e) {
                    diverged = e;
                    return false;
                }
                step += n;
                if (window.nonFinite != null) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    Transition<O, A> t = transitions.get(i);
                    episodeReturn[i] += t.reward();
                    episodeLength[i]++;
                    if (t.done()) {
                        listener.metric("episode/return", step, episodeReturn[i]);
                        listener.metric("episode/length", step, episodeLength[i]);
                        recentReturns[(int) (episodes % recentReturns.length)] = episodeReturn[i];
                        episodes++;
                        episodeReturn[i] = 0;
                        episodeLength[i] = 0;
                    }
                }
                observations = next;
            }
            return true;
        }
    }

    /**
     * Turns a {@link VectorEnv}'s flat buffers into the contract's values (Box: {@code double[]}, Discrete:
     * {@code Integer}) and actions back into its arrays. Fresh lists and arrays per step: agents may keep them.
     */
    private static final class Batches<O, A> {
        private final VectorEnv envs;
        private final int n;
        private final int obsSize;
        private final boolean discreteObs;
        private final boolean discreteAct;
        private final int[] discreteActions;
        private final double[] boxActions;

        Batches(VectorEnv envs) {
            this.envs = envs;
            n = envs.numEnvs();
            obsSize = envs.observationSize();
            discreteObs = envs.singleObservationSpace() instanceof Discrete;
            discreteAct = envs.singleActionSpace() instanceof Discrete;
            discreteActions = discreteAct ? new int[n] : null;
            boxActions = discreteAct ? null : new double[n * envs.actionSize()];
        }

        List<O> observations() {
            return rows(envs.observations());
        }

        @SuppressWarnings("unchecked")
        private List<O> rows(float[] buffer) {
            List<O> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add((O) row(buffer, i));
            }
            return out;
        }

        private Object row(float[] buffer, int i) {
            if (discreteObs) {
                return (int) buffer[i];
            }
            double[] values = new double[obsSize];
            for (int j = 0; j < obsSize; j++) {
                values[j] = buffer[i * obsSize + j];
            }
            return values;
        }

        void step(List<A> actions) {
            if (actions.size() != n) {
                throw new IllegalStateException("the agent returned " + actions.size() + " actions for " + n + " envs");
            }
            if (discreteAct) {
                for (int i = 0; i < n; i++) {
                    discreteActions[i] = (Integer) actions.get(i);
                }
                envs.step(discreteActions);
                return;
            }
            int size = envs.actionSize();
            for (int i = 0; i < n; i++) {
                double[] a = (double[]) actions.get(i);
                if (a.length != size) {
                    throw new IllegalStateException("the agent returned an action of " + a.length + " values for "
                        + envs.singleActionSpace());
                }
                System.arraycopy(a, 0, boxActions, i * size, size);
            }
            envs.step(boxActions);
        }

        /** The step's transitions; an ended episode's next observation is its final one, not the reset one. */
        @SuppressWarnings("unchecked")
        List<Transition<O, A>> transitions(List<O> observations, List<A> actions, List<O> next) {
            List<Transition<O, A>> out = new ArrayList<>(n);
            boolean[] ended = envs.hasFinalObservation();
            for (int i = 0; i < n; i++) {
                O nextObservation = ended[i] ? (O) row(envs.finalObservations(), i) : next.get(i);
                out.add(new Transition<>(observations.get(i), actions.get(i), envs.rewards()[i], nextObservation,
                    envs.terminated()[i], envs.truncated()[i]));
            }
            return out;
        }
    }

    /** The first multiple of {@code every} after {@code step}. */
    private static long nextMultiple(long step, long every) {
        return (step / every + 1) * every;
    }

    /** Whether a multiple of {@code every} lies in (previous, now]: with one env, {@code now % every == 0}. */
    private static boolean crossed(long previous, long now, long every) {
        return now / every > previous / every;
    }

    /**
     * Env i's episode seeds: env 0 uses {@code new SplittableRandom(seed)}, the others streams split from another
     * root ({@link SplitMixRandom}: the same streams, with a state a checkpoint saves).
     */
    static SplitMixRandom[] episodeSeedStreams(long seed, int n) {
        SplitMixRandom[] streams = new SplitMixRandom[n];
        streams[0] = new SplitMixRandom(seed);
        SplitMixRandom others = new SplitMixRandom(seed ^ 0xC2B2AE3D27D4EB4FL);
        for (int i = 1; i < n; i++) {
            streams[i] = others.split();
        }
        return streams;
    }

    /** What the agent reported since the last log: means of per-update values, latest gauges, update count. */
    private static final class Window implements Metrics {
        private final Map<String, double[]> sums = new LinkedHashMap<>();
        private final Map<String, Double> gauges = new LinkedHashMap<>();
        long updates;
        String nonFinite;
        double nonFiniteValue;

        @Override
        public void mean(String key, double value) {
            if (!Double.isFinite(value) && nonFinite == null) {
                nonFinite = key;
                nonFiniteValue = value;
            }
            double[] sum = sums.computeIfAbsent(key, k -> new double[2]);
            sum[0] += value;
            sum[1]++;
        }

        @Override
        public void last(String key, double value) {
            gauges.put(key, value);
        }

        @Override
        public void updates(int count) {
            updates += count;
        }

        void report(RunListener listener, long step) {
            gauges.forEach((key, value) -> listener.metric(key, step, value));
            sums.forEach((key, sum) -> {
                if (sum[1] > 0) {
                    listener.metric(key, step, sum[0] / sum[1]);
                }
            });
        }

        void write(DataOutputStream out) throws IOException {
            out.writeInt(sums.size());
            for (Map.Entry<String, double[]> e : sums.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue()[0]);
                out.writeDouble(e.getValue()[1]);
            }
            out.writeInt(gauges.size());
            for (Map.Entry<String, Double> e : gauges.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
            }
            out.writeLong(updates);
        }

        void read(DataInputStream in) throws IOException {
            sums.clear();
            for (int i = in.readInt(); i > 0; i--) {
                sums.put(in.readUTF(), new double[] {in.readDouble(), in.readDouble()});
            }
            gauges.clear();
            for (int i = in.readInt(); i > 0; i--) {
                gauges.put(in.readUTF(), in.readDouble());
            }
            updates = in.readLong();
        }

        void clear() {
            // keep the keys (no re-allocation per window); a zero count is not reported
            sums.values().forEach(sum -> {
                sum[0] = 0;
                sum[1] = 0;
            });
            updates = 0;
        }
    }

    /** Artifact name of the parameters at the end of training. */
    public static final String FINAL_MODEL = "final.model";
    /** Artifact name of the parameters that scored the best greedy evaluation (SB3's best_model). */
    public static final String BEST_MODEL = "best.model";

    private static void emitFinal(Agent<?, ?> agent, RunListener listener) {
        listener.artifact(FINAL_MODEL, snapshot(agent));
    }

    private static byte[] snapshot(Agent<?, ?> agent) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            agent.save(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("saving the agent failed", e);
        }
        return bytes.toByteArray();
    }

    /** The best evaluation so far and a snapshot of the agent that scored it. */
    private static final class Best {
        private double mean = Double.NEGATIVE_INFINITY;
        private byte[] model;

        void offer(Agent<?, ?> agent, double evalMean, long step, Map<String, Double> summary) {
            if (evalMean > mean) {
                mean = evalMean;
                model = snapshot(agent);
                summary.put("eval/return_best", evalMean);
                summary.put("eval/return_best_step", (double) step);
            }
        }

        void emit(RunListener listener) {
            if (model != null) {
                listener.artifact(BEST_MODEL, model);
            }
        }

        void write(DataOutputStream out) throws IOException {
            out.writeDouble(mean);
            out.writeInt(model == null ? -1 : model.length);
            if (model != null) {
                out.write(model);
            }
        }

        void read(DataInputStream in) throws IOException {
            mean = in.readDouble();
            int length = in.readInt();
            model = length < 0 ? null : in.readNBytes(length);
        }
    }

    /** Writes a checkpoint; false (noted) if it failed, after which the run goes on without checkpoints. */
    private static boolean checkpointNow(Checkpoints checkpoints, LoopState state, long step, long episodes,
                                         long totalUpdates, long windowStep, Agent<?, ?> agent, VectorEnv envs,
                                         RecordingListener listener) {
        state.step = step;
        state.episodes = episodes;
        state.totalUpdates = totalUpdates;
        state.windowStep = windowStep;
        try {
            checkpoints.save(out -> state.write(out, agent, envs, listener));
            return true;
        } catch (IOException | RuntimeException e) {
            checkpoints.note("checkpointing stopped at step " + step + ": " + e.getMessage()
                + " (an interruption resumes from the last checkpoint written, if any)");
            return false;
        }
    }

    /** Whether this loop can checkpoint: the agent and every env implement the state contract (else noted). */
    private static boolean checkpointable(Agent<?, ?> agent, VectorEnv envs, Checkpoints checkpoints) {
        if (!Checkpointable.checkpointable(agent)) {
            checkpoints.note("no checkpoints: agent " + agent.getClass().getName() + " does not implement "
                + "Checkpointable; an interrupted run restarts from step 0");
            return false;
        }
        if (!Checkpointable.checkpointable(envs)) {
            checkpoints.note("no checkpoints: an env of this run does not implement Checkpointable (a plug-in env "
                + "can: see dev.ludus.envs.state); an interrupted run restarts from step 0");
            return false;
        }
        return true;
    }

    /** The loop's state beyond its locals' scalars, as one checkpointable unit. */
    private static final class LoopState {
        private static final String TAG = "trainer loop";
        final double[] episodeReturn;
        final long[] episodeLength;
        final double[] recentReturns;
        final SplitMixRandom[] episodeSeeds;
        final Window window;
        final Best best;
        final Map<String, Double> summary;
        long step;
        long episodes;
        long totalUpdates;
        long windowStep;

        LoopState(double[] episodeReturn, long[] episodeLength, double[] recentReturns, SplitMixRandom[] episodeSeeds,
                  Window window, Best best, Map<String, Double> summary) {
            this.episodeReturn = episodeReturn;
            this.episodeLength = episodeLength;
            this.recentReturns = recentReturns;
            this.episodeSeeds = episodeSeeds;
            this.window = window;
            this.best = best;
            this.summary = summary;
        }

        void write(DataOutputStream out, Agent<?, ?> agent, VectorEnv envs, RecordingListener listener)
            throws IOException {
            StateIO.tag(out, TAG);
            out.writeLong(step);
            out.writeLong(episodes);
            out.writeLong(totalUpdates);
            out.writeLong(windowStep);
            StateIO.doubles(out, episodeReturn);
            StateIO.longs(out, episodeLength);
            StateIO.doubles(out, recentReturns);
            out.writeInt(episodeSeeds.length);
            for (SplitMixRandom r : episodeSeeds) {
                StateIO.random(out, r);
            }
            window.write(out);
            best.write(out);
            out.writeInt(summary.size());
            for (Map.Entry<String, Double> e : summary.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
            }
            ((Checkpointable) envs).writeState(out);
            ((Checkpointable) agent).writeState(out);
            listener.write(out);
        }

        void read(DataInputStream in, Agent<?, ?> agent, VectorEnv envs, RecordingListener listener)
            throws IOException {
            StateIO.expect(in, TAG);
            step = in.readLong();
            episodes = in.readLong();
            totalUpdates = in.readLong();
            windowStep = in.readLong();
            StateIO.doubles(in, episodeReturn);
            StateIO.longs(in, episodeLength);
            StateIO.doubles(in, recentReturns);
            if (in.readInt() != episodeSeeds.length) {
                throw new IOException("checkpoint of a run with another number of envs");
            }
            for (SplitMixRandom r : episodeSeeds) {
                StateIO.random(in, r);
            }
            window.read(in);
            best.read(in);
            summary.clear();
            for (int i = in.readInt(); i > 0; i--) {
                summary.put(in.readUTF(), in.readDouble());
            }
            ((Checkpointable) envs).readState(in);
            ((Checkpointable) agent).readState(in);
            listener.readAndReplay(in);
        }
    }

    /**
     * Passes every point on and, when the run checkpoints, keeps them (key index, step, value) so a resumed run
     * reports the points before its checkpoint again: its stored series is then that of an uninterrupted run.
     */
    private static final class RecordingListener implements RunListener {
        private final RunListener outer;
        private final boolean recording;
        private final Map<String, Integer> keyIndex = new LinkedHashMap<>();
        private int[] keys = new int[1024];
        private long[] steps = new long[1024];
        private double[] values = new double[1024];
        private int size;

        RecordingListener(RunListener outer, boolean recording) {
            this.outer = outer;
            this.recording = recording;
        }

        @Override
        public void metric(String key, long step, double value) {
            outer.metric(key, step, value);
            if (recording) {
                record(key, step, value);
            }
        }

        private void record(String key, long step, double value) {
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                steps = java.util.Arrays.copyOf(steps, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            keys[size] = keyIndex.computeIfAbsent(key, k -> keyIndex.size());
            steps[size] = step;
            values[size] = value;
            size++;
        }

        @Override
        public void confusionMatrix(List<String> labels, long[][] counts) {
            outer.confusionMatrix(labels, counts);
        }

        @Override
        public void artifact(String name, byte[] content) {
            outer.artifact(name, content);
        }

        @Override
        public boolean cancelled() {
            return outer.cancelled();
        }

        void write(DataOutputStream out) throws IOException {
            out.writeInt(keyIndex.size());
            for (String key : keyIndex.keySet()) {
                out.writeUTF(key);
            }
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeInt(keys[i]);
                out.writeLong(steps[i]);
                out.writeDouble(values[i]);
            }
        }

        /** Restores the recorded points and reports them again, in their order. */
        void readAndReplay(DataInputStream in) throws IOException {
            String[] names = new String[in.readInt()];
            for (int i = 0; i < names.length; i++) {
                names[i] = in.readUTF();
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                int k = in.readInt();
                if (k < 0 || k >= names.length) {
                    throw new IOException("recorded metric key " + k + " out of range");
                }
                metric(names[k], in.readLong(), in.readDouble());
            }
        }
    }

    private static RunOutcome cancelled(Map<String, Double> summary, long step, long episodes, long updates,
                                        double[] recentReturns, long start) {
        summarise(summary, step, episodes, updates, recentReturns, System.nanoTime() - start);
        return new RunOutcome(RunOutcome.Status.CANCELLED, summary, "cancelled at step " + step);
    }

    /** Every key a finished run's summary holds ({@code episode/return_mean_100} once an episode has ended). */
    public static final java.util.Set<String> SUMMARY_KEYS = java.util.Set.of("eval/return_mean", "eval/return_std",
        "eval/return_best", "eval/return_best_step", "train/steps", "train/episodes", "train/updates",
        "perf/steps_per_s", "perf/updates_per_s", "perf/train_seconds", "episode/return_mean_100");

    private static void summarise(Map<String, Double> summary, long step, long episodes, long updates,
                                  double[] recentReturns, long trainNanos) {
        double seconds = Math.max(1e-9, trainNanos / 1e9);
        summary.put("train/steps", (double) step);
        summary.put("train/episodes", (double) episodes);
        summary.put("train/updates", (double) updates);
        summary.put("perf/steps_per_s", step / seconds);
        summary.put("perf/updates_per_s", updates / seconds);
        summary.put("perf/train_seconds", seconds);
        int n = (int) Math.min(episodes, recentReturns.length);
        if (n > 0) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += recentReturns[i];
            }
            summary.put("episode/return_mean_100", sum / n);
        }
    }

    /** The fixed seeds of the evaluation episodes of a run: independent of the training episodes' seeds. */
    public static long[] evaluationSeeds(long seed, int episodes) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L).split();
        long[] seeds = new long[episodes];
        for (int i = 0; i < episodes; i++) {
            seeds[i] = rng.nextLong();
        }
        return seeds;
    }

    /**
     * Runs one deterministic ({@code explore = false}) episode per seed and returns the mean and (population)
     * standard deviation of the returns; {@code null} if the listener asked to cancel.
     */
    public static <O, A> Evaluation evaluate(Agent<O, A> agent, Env<O, A> env, long[] seeds, int maxEpisodeSteps,
                                             RunListener listener) {
        double[] returns = new double[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            if (listener.cancelled()) {
                return null;
            }
            Reset<O> reset = env.reset(seeds[i]);
            agent.beginEvaluationEpisode();
            O observation = reset.observation();
            double total = 0;
            for (int t = 0; t < maxEpisodeSteps; t++) {
                Step<O> result = env.step(agent.act(List.of(observation), false).get(0));
                total += result.reward();
                if (result.terminated() || result.truncated()) {
                    break;
                }
                observation = result.observation();
            }
            returns[i] = total;
        }
        double mean = 0;
        for (double r : returns) {
            mean += r;
        }
        mean /= returns.length;
        double var = 0;
        for (double r : returns) {
            var += (r - mean) * (r - mean);
        }
        return new Evaluation(mean, Math.sqrt(var / returns.length), returns);
    }
}
