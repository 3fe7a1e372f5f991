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
                  double bestFreshEval, double trainSeconds, double updatesPerSecond, String status) {
        String line() {
            return String.format(java.util.Locale.ROOT,
                "{\"env\":\"%s\",\"agent\":\"%s\",\"seed\":%d,\"steps\":%d,\"final_eval\":%.2f,\"best_eval\":%.2f,"
                    + "\"best_eval_step\":%d,\"best_model_fresh_eval\":%.2f,\"train_s\":%.2f,\"updates_per_s\":%.0f,"
                    + "\"status\":\"%s\"}",
                env, agent, seed, steps, finalEval, bestEval, bestStep, bestFreshEval, trainSeconds, updatesPerSecond,
                status);
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
        Agent<Object, Integer> agent = (Agent<Object, Integer>) Agents.create(agentName, envId, env.observationSpace(),
            env.actionSpace(), params, steps, seed);
        byte[][] bestModel = new byte[1][];
        RunListener listener = new RunListener() {
            @Override
            public void metric(String key, long step, double value) {
            }

            @Override
            public void artifact(String name, byte[] content) {
                if (name.equals(Trainer.BEST_MODEL)) {
                    bestModel[0] = content;
                }
            }
        };
        Trainer.Settings settings = new Trainer.Settings(steps, evalEvery, evalEpisodes, seed);
        dev.ludus.agents.AgentSpec spec = Agents.info(agentName);
        dev.ludus.agents.ParamValues values = spec.resolve(params);
        // agents that step several envs (n_envs) train through the Trainer's own vector env, as a sweep runs them
        RunOutcome outcome = spec.numEnvs(values) > 1
            ? Trainer.train(spec, values, envId, settings, listener)
            : Trainer.train(agent, env, evalEnv, settings, listener);
        Map<String, Double> s = outcome.summary();
        // the best snapshot was chosen on the run's evaluation seeds: score it again on unseen ones
        double fresh = Double.NaN;
        if (bestModel[0] != null) {
            Agent<Object, Integer> reloaded = (Agent<Object, Integer>) Agents.create(agentName, envId,
                env.observationSpace(), env.actionSpace(), params, steps, seed);
            try {
                reloaded.load(new java.io.ByteArrayInputStream(bestModel[0]));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            fresh = Trainer.evaluate(reloaded, evalEnv, Trainer.evaluationSeeds(seed + 1_000_003L, evalEpisodes), 10_000,
                RunListener.discard()).mean();
        }
        return new Result(envId, agentName, seed, steps, s.getOrDefault("eval/return_mean", Double.NaN),
            s.getOrDefault("eval/return_best", Double.NaN), s.getOrDefault("eval/return_best_step", -1.0).longValue(),
            fresh, s.getOrDefault("perf/train_seconds", Double.NaN), s.getOrDefault("perf/updates_per_s", Double.NaN),
            outcome.status().name());
    }
}
