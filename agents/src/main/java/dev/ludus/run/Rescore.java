package dev.ludus.run;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.Agents;
import dev.ludus.agents.FreshSeeds;
import dev.ludus.agents.Trainer;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Re-scores a saved RL agent ({@code final.model} or {@code best.model}) on fresh episodes: the agent is rebuilt from
 * the run's task and hyperparameters, loads the saved bytes and plays deterministic ({@code explore = false})
 * episodes, as the Trainer's evaluations do, on seeds the run never used ({@link FreshSeeds}).
 */
public final class Rescore {

    /** The returns of the fresh episodes with their mean and (population) standard deviation, as the Trainer reports them. */
    public record Result(double mean, double std, double[] returns, long[] seeds) {
    }

    /** An episode of an env without a time limit stops here, as in the Trainer's evaluations. */
    static final int MAX_EPISODE_STEPS = 10_000;

    private Rescore() {
    }

    /**
     * @param task             the run's task ({@code type} rl: {@code env}, {@code env_kwargs}, {@code agent}, ...)
     * @param params           the hyperparameters it ran with (its resolved params)
     * @param runSeed          its seed
     * @param trainingEpisodes episodes it played (its summary's {@code train/episodes}; an upper bound is enough)
     * @param model            the saved agent
     * @param episodes         fresh episodes to play, >= 1
     * @param seed             seed of the fresh episodes
     * @throws IllegalArgumentException naming what is wrong (a classification task, a model that does not load)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Result rl(Map<String, Object> task, Map<String, Object> params, long runSeed, long trainingEpisodes,
                            byte[] model, int episodes, long seed) {
        Object type = task.getOrDefault("type", "rl");
        if (!"rl".equals(type)) {
            throw new IllegalArgumentException("task.type: only rl runs are re-scored on fresh episodes, this one is " + type);
        }
        if (episodes < 1 || episodes > 100_000) {
            throw new IllegalArgumentException("episodes: must be 1..100000, got " + episodes);
        }
        String envId = String.valueOf(task.get("env"));
        String agentName = String.valueOf(task.get("agent"));
        if (!Agents.names().contains(agentName)) {
            throw new IllegalArgumentException("task.agent: agent '" + agentName + "' is not available here (a plug-in? "
                    + "pass its folder with --plugins)");
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (task.get("env_kwargs") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
        }
        AgentSpec spec = Agents.info(agentName);
        long steps = task.get("steps") instanceof Number n ? n.longValue() : 1;
        int evalEpisodes = task.get("eval_episodes") instanceof Number n ? n.intValue() : 10;
        int numEnvs = spec.numEnvs(spec.resolve(params));
        try (Env env = Envs.make(envId, kwargs)) {
            Agent agent = Agents.create(agentName, envId, env.observationSpace(), env.actionSpace(), params, steps,
                    runSeed ^ Trainer.AGENT_SEED_SALT);
            try {
                agent.load(new ByteArrayInputStream(model));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("model: the saved " + agentName + " agent does not load: " + e.getMessage(), e);
            }
            long[] seeds = FreshSeeds.of(runSeed, numEnvs, trainingEpisodes, evalEpisodes, seed, episodes);
            Trainer.Evaluation e = Trainer.evaluate(agent, env, seeds, MAX_EPISODE_STEPS, RunListener.discard());
            return new Result(e.mean(), e.std(), e.returns(), seeds);
        }
    }
}
