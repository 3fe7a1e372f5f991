package dev.ludus.agents;

import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import dev.ludus.nn.DivergedException;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop, collect → learn, one env step at a time: the agent acts (exploring), the env
 * steps, the agent observes the transition and learns when its own schedule says so. Reports through a
 * {@link RunListener} (keys of docs/design.md section 3, step = env steps):
 * {@code episode/return}, {@code episode/length} at each episode end; every {@code logEvery} steps
 * {@code train/loss}, {@code train/q_mean} (means over the updates since the last report),
 * {@code train/epsilon}, {@code perf/updates_per_s}, {@code perf/steps_per_s}; and every
 * {@code evalEvery} steps and at the end {@code eval/return_mean}, {@code eval/return_std} from greedy
 * episodes on a separate env whose seeds are fixed for the run (so evaluations are comparable).
 *
 * <p>After training the listener receives two artifacts: {@value #FINAL_MODEL} (the parameters at the
 * end) and {@value #BEST_MODEL} (a snapshot taken at the best greedy evaluation, as SB3's
 * {@code EvalCallback} keeps it); the summary adds {@code eval/return_best} and its step. A diverged run
 * still hands over the best snapshot taken before it diverged.
 *
 * <p>Training episodes are seeded from one {@link SplittableRandom} made from the run seed, so the same
 * seed (and thread count) gives the same episode returns. The cancel flag is polled every
 * {@value #POLL_EVERY} steps and between evaluation episodes. A NaN or infinite loss ends the run
 * {@link RunOutcome.Status#DIVERGED} with "diverged at step N"; everything reported before stays reported.
 */
public final class Trainer {

    static final int POLL_EVERY = 256;

    /**
     * @param steps              env-step budget, > 0
     * @param evalEvery          env steps between greedy evaluations; 0 = only at the end
     * @param evalEpisodes       greedy episodes per evaluation, > 0
     * @param seed               seeds the training and evaluation episodes
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

    /** Mean and standard deviation of the returns of one greedy evaluation. */
    public record Evaluation(double mean, double std, double[] returns) {
    }

    private Trainer() {
    }

    public static <O> RunOutcome train(Agent<O> agent, Env<O, Integer> env, Env<O, Integer> evalEnv, Settings settings,
                                       RunListener listener) {
        if (env == evalEnv) {
            throw new IllegalArgumentException("evalEnv: evaluation needs its own env instance, not the training env");
        }
        SplittableRandom episodeSeeds = new SplittableRandom(settings.seed());
        long[] evalSeeds = evaluationSeeds(settings.seed(), settings.evalEpisodes());
        Map<String, Double> summary = new LinkedHashMap<>();
        Best best = new Best();

        long step = 0;
        long episodes = 0;
        long totalUpdates = 0;
        double[] recentReturns = new double[100];
        long evalNanosTotal = 0;
        // window since the last train/perf report
        int windowUpdates = 0;
        double windowLoss = 0;
        double windowQ = 0;
        long windowStart = System.nanoTime();
        long windowStep = 0;
        long windowEvalNanos = 0;

        O observation = env.reset(episodeSeeds.nextLong()).observation();
        double episodeReturn = 0;
        long episodeLength = 0;
        long start = System.nanoTime();
        while (step < settings.steps()) {
            int action = agent.act(observation, true);
            Step<O> result = env.step(action);
            Agent.Update update;
            try {
                update = agent.observe(observation, action, result.reward(), result.observation(),
                    result.terminated(), result.truncated());
            } catch (DivergedException e) {
                summarise(summary, step + 1, episodes, totalUpdates, recentReturns,
                    System.nanoTime() - start - evalNanosTotal);
                best.emit(listener);
                return new RunOutcome(RunOutcome.Status.DIVERGED, summary,
                    "diverged at step " + (step + 1) + ": "
                        + e.getMessage().replaceFirst("^diverged at step \\d+: ", "") + " (gradient update " + e.step() + ")");
            }
            step++;
            episodeReturn += result.reward();
            episodeLength++;
            if (update.updates() > 0) {
                if (!Double.isFinite(update.lossSum())) {
                    String message = "diverged at step " + step + ": loss is " + update.lossSum();
                    summarise(summary, step, episodes, totalUpdates, recentReturns,
                        System.nanoTime() - start - evalNanosTotal);
                    best.emit(listener);
                    return new RunOutcome(RunOutcome.Status.DIVERGED, summary, message);
                }
                windowUpdates += update.updates();
                totalUpdates += update.updates();
                windowLoss += update.lossSum();
                windowQ += update.qSum();
            }
            if (result.terminated() || result.truncated()) {
                listener.metric("episode/return", step, episodeReturn);
                listener.metric("episode/length", step, episodeLength);
                recentReturns[(int) (episodes % recentReturns.length)] = episodeReturn;
                episodes++;
                episodeReturn = 0;
                episodeLength = 0;
                observation = env.reset(episodeSeeds.nextLong()).observation();
            } else {
                observation = result.observation();
            }
            if (step % settings.logEvery() == 0 || step == settings.steps()) {
                long now = System.nanoTime();
                double seconds = Math.max(1e-9, (now - windowStart - windowEvalNanos) / 1e9);
                listener.metric("train/epsilon", step, agent.epsilon());
                if (windowUpdates > 0) {
                    listener.metric("train/loss", step, windowLoss / windowUpdates);
                    listener.metric("train/q_mean", step, windowQ / windowUpdates);
                }
                listener.metric("perf/updates_per_s", step, windowUpdates / seconds);
                listener.metric("perf/steps_per_s", step, (step - windowStep) / seconds);
                windowUpdates = 0;
                windowLoss = 0;
                windowQ = 0;
                windowStart = now;
                windowStep = step;
                windowEvalNanos = 0;
            }
            if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0 || step == settings.steps()) {
                long evalStart = System.nanoTime();
                Evaluation evaluation = evaluate(agent, evalEnv, evalSeeds, settings.maxEvalEpisodeSteps(), listener);
                if (evaluation == null) {
                    emitFinal(agent, listener);
                    best.emit(listener);
                    return cancelled(summary, step, episodes, totalUpdates, recentReturns, start);
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
            if (step % POLL_EVERY == 0 && listener.cancelled()) {
                emitFinal(agent, listener);
                best.emit(listener);
                return cancelled(summary, step, episodes, totalUpdates, recentReturns, start);
            }
        }
        summarise(summary, step, episodes, totalUpdates, recentReturns, System.nanoTime() - start - evalNanosTotal);
        emitFinal(agent, listener);
        best.emit(listener);
        return RunOutcome.finished(summary);
    }

    /** Artifact name of the parameters at the end of training. */
    public static final String FINAL_MODEL = "final.model";
    /** Artifact name of the parameters that scored the best greedy evaluation (SB3's best_model). */
    public static final String BEST_MODEL = "best.model";

    private static void emitFinal(Agent<?> agent, RunListener listener) {
        listener.artifact(FINAL_MODEL, snapshot(agent));
    }

    private static byte[] snapshot(Agent<?> agent) {
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

        void offer(Agent<?> agent, double evalMean, long step, Map<String, Double> summary) {
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
    }

    private static RunOutcome cancelled(Map<String, Double> summary, long step, long episodes, long updates,
                                        double[] recentReturns, long start) {
        summarise(summary, step, episodes, updates, recentReturns, System.nanoTime() - start);
        return new RunOutcome(RunOutcome.Status.CANCELLED, summary, "cancelled at step " + step);
    }

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
     * Runs one greedy episode per seed and returns the mean and (population) standard deviation of the
     * returns; {@code null} if the listener asked to cancel.
     */
    public static <O> Evaluation evaluate(Agent<O> agent, Env<O, Integer> env, long[] seeds, int maxEpisodeSteps,
                                          RunListener listener) {
        double[] returns = new double[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            if (listener.cancelled()) {
                return null;
            }
            Reset<O> reset = env.reset(seeds[i]);
            O observation = reset.observation();
            double total = 0;
            for (int t = 0; t < maxEpisodeSteps; t++) {
                Step<O> result = env.step(agent.act(observation, false));
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
