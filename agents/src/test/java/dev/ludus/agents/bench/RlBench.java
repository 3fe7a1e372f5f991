package dev.ludus.agents.bench;

import dev.ludus.agents.Agent;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Trainer;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared helpers of the RL benchmarks: one seeded training run with periodic greedy evaluation. */
final class RlBench {

    /** What one run measured. */
    record Result(String env, String agent, long seed, long steps, double finalEval, double bestEval, long bestStep,
                  double trainSeconds, double updatesPerSecond, String status) {
        String line() {
            return String.format(java.util.Locale.ROOT,
                "{\"env\":\"%s\",\"agent\":\"%s\",\"seed\":%d,\"steps\":%d,\"final_eval\":%.2f,\"best_eval\":%.2f,"
                    + "\"best_eval_step\":%d,\"train_s\":%.2f,\"updates_per_s\":%.0f,\"status\":\"%s\"}",
                env, agent, seed, steps, finalEval, bestEval, bestStep, trainSeconds, updatesPerSecond, status);
        }
    }

    private RlBench() {
    }

    /** Trains with greedy evaluations of {@code evalEpisodes} every {@code evalEvery} steps (0 = only at the end). */
    @SuppressWarnings("unchecked")
    static Result run(String envId, String agentName, Map<String, Object> params, long steps, long evalEvery,
                      int evalEpisodes, long seed) {
        Env<Object, Integer> env = (Env<Object, Integer>) Envs.make(envId);
        Env<Object, Integer> evalEnv = (Env<Object, Integer>) Envs.make(envId);
        Agent<Object> agent = (Agent<Object>) Agents.create(agentName, env.observationSpace(), env.actionSpace(), params,
            steps, new SplittableRandom(seed));
        double[] best = {Double.NEGATIVE_INFINITY, -1};
        RunListener listener = (key, step, value) -> {
            if (key.equals("eval/return_mean") && value > best[0]) {
                best[0] = value;
                best[1] = step;
            }
        };
        RunOutcome outcome = Trainer.train(agent, env, evalEnv, new Trainer.Settings(steps, evalEvery, evalEpisodes, seed),
            listener);
        Map<String, Double> s = outcome.summary();
        return new Result(envId, agentName, seed, steps, s.getOrDefault("eval/return_mean", Double.NaN), best[0],
            (long) best[1], s.getOrDefault("perf/train_seconds", Double.NaN),
            s.getOrDefault("perf/updates_per_s", Double.NaN), outcome.status().name());
    }
}
