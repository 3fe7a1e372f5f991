package dev.ludus.run;

import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.Agents;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Trainer;
import dev.ludus.envs.Env;
import dev.ludus.envs.EnvKwargException;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Space;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code type=rl} tasks: an agent from {@link Agents} trained on an env from {@link Envs} by the
 * {@link Trainer} loop. Task keys: {@code env} and {@code agent} (required), {@code env_kwargs} (optional,
 * the env's keyword arguments, e.g. {@code {"map_name": "8x8", "is_slippery": false}} for FrozenLake; see
 * {@code EnvSpec.kwargs()}), {@code steps} (required, env steps), {@code eval_every} (env steps between greedy evaluations, default a tenth of {@code steps},
 * 0 = only at the end), {@code eval_episodes} (default 10), {@code checkpoint_every_s} and
 * {@code checkpoint_every_steps} (the schedule of {@link Checkpoints}, used when the trial has a checkpoint file). Params are the agent's hyperparameters
 * ({@code GET /api/agents}). Reports the metrics of docs/design.md section 3, then the trained model as
 * the artifacts {@code final.model} and {@code best.model} (the snapshot with the best greedy
 * evaluation); the summary holds the last evaluation ({@code eval/return_mean}, {@code eval/return_std}),
 * the best one ({@code eval/return_best}) and throughput.
 */
final class RlTaskRunner implements TaskRunner {

    private static final List<String> TASK_KEYS = List.of("type", "env", "env_kwargs", "agent", "steps", "eval_every",
        "eval_episodes", Checkpoints.EVERY_SECONDS.name(), Checkpoints.EVERY_STEPS.name());

    /** A checked task, with the agent's params resolved (defaults included). */
    private record RlTask(String env, Map<String, Object> envKwargs, AgentSpec agent, ParamValues params, long steps,
                          long evalEvery, int evalEpisodes) {
        Env<?, ?> makeEnv() {
            return Envs.make(env, envKwargs);
        }
    }

    @Override
    public String type() {
        return "rl";
    }

    @Override
    public java.util.Set<String> summaryKeys() {
        return Trainer.SUMMARY_KEYS;
    }

    @Override
    public void validate(Map<String, Object> task, Map<String, Object> params) {
        parse(task, params);
    }

    private static RlTask parse(Map<String, Object> task, Map<String, Object> params) {
        for (String key : task.keySet()) {
            if (!TASK_KEYS.contains(key)) {
                throw new IllegalArgumentException("task." + key + ": unknown key for an rl task; known: "
                    + String.join(", ", TASK_KEYS));
            }
        }
        String envId = string(task, "env");
        String agent = string(task, "agent");
        long steps = integer(task, "steps", null, 1);
        long evalEvery = integer(task, "eval_every", Math.max(1, steps / 10), 0);
        long evalEpisodes = integer(task, "eval_episodes", 10L, 1);
        if (evalEpisodes > 100_000) {
            throw new IllegalArgumentException("task.eval_episodes: must be <= 100000, got " + evalEpisodes);
        }
        Checkpoints.everySeconds(task); // validated here, read at execution
        Checkpoints.everySteps(task);
        Map<String, Object> envKwargs = envKwargs(task.get("env_kwargs"));
        Env<?, ?> env;
        Space<?> observationSpace;
        Space<?> actionSpace;
        try {
            env = Envs.make(envId, envKwargs);
        } catch (EnvKwargException e) {
            throw new IllegalArgumentException("task.env_kwargs." + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task.env: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalArgumentException("task.env: " + envName(envId) + " failed to start: " + describe(e), e);
        }
        try {
            observationSpace = env.observationSpace();
            actionSpace = env.actionSpace();
        } catch (RuntimeException | LinkageError e) {
            env.close();
            throw new IllegalArgumentException("task.env: " + envName(envId) + " failed to report its spaces: "
                + describe(e), e);
        }
        if (!Agents.names().contains(agent)) {
            throw new IllegalArgumentException("task.agent: unknown agent '" + agent + "'; known agents: "
                + String.join(", ", Agents.names()));
        }
        AgentSpec spec = Agents.info(agent);
        try {
            spec.checkSpaces(observationSpace, actionSpace, envId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task.agent: " + e.getMessage(), e);
        } finally {
            env.close();
        }
        ParamValues values;
        try {
            values = spec.resolve(params);
            // what the agent would allocate (replay buffer, networks) must fit in this JVM
            spec.checkMemory(values, observationSpace, actionSpace, Runtime.getRuntime().maxMemory());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params." + e.getMessage(), e);
        }
        return new RlTask(envId, envKwargs, spec, values, steps, evalEvery, (int) evalEpisodes);
    }
    private static Map<String, Object> envKwargs(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("task.env_kwargs: must be an object of the env's keyword arguments, got "
                + value);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        map.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
        return kwargs;
    }

    /** {@code env 'CartPole-v1'}, or {@code env 'my/Env-v0' (plug-in my.jar)} for one that came from a plug-in. */
    static String envName(String id) {
        String origin;
        try {
            origin = Envs.origin(id);
        } catch (RuntimeException e) {
            origin = null;
        }
        return "env '" + id + "'" + (origin == null || origin.equals("built-in") ? "" : " (plug-in " + origin + ")");
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String string(Map<String, Object> task, String key) {
        Object value = task.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("task." + key + ": required, a non-empty string, got " + value);
        }
        return s.trim();
    }

    private static long integer(Map<String, Object> task, String key, Long defaultValue, long min) {
        Object value = task.get(key);
        if (value == null) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("task." + key + ": required, an integer >= " + min);
            }
            return defaultValue;
        }
        long result;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            && Math.abs(n.doubleValue()) < 9.0e15) {
            result = n.longValue();
        } else if (value instanceof String s && s.trim().matches("-?\\d+")) {
            result = Long.parseLong(s.trim());
        } else {
            throw new IllegalArgumentException("task." + key + ": must be an integer, got " + value);
        }
        if (result < min) {
            throw new IllegalArgumentException("task." + key + ": must be >= " + min + ", got " + result);
        }
        return result;
    }

    @Override
    public Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        return parse(task, params).params().toMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RunOutcome execute(RunSpec spec, RunListener listener) {
        RlTask task = parse(spec.task(), spec.params());
        String envName = envName(task.env());
        try {
            return Trainer.train(task.agent(), task.params(), task.env(),
                () -> new CheckedEnv<>((Env<Object, Object>) task.makeEnv(), envName),
                new Trainer.Settings(task.steps(), task.evalEvery(), task.evalEpisodes(), spec.seed()), listener,
                Checkpoints.forTask(spec.checkpoint(), spec, spec.task(), listener::note));
        } catch (RuntimeException | LinkageError e) {
            String origin = Agents.origin(task.agent().name());
            boolean envFailure = e.getMessage() != null && e.getMessage().startsWith(envName);
            if (origin.equals("built-in") || envFailure) {
                throw e;
            }
            // a plug-in agent's own code failed: the run's error says whose code it was
            throw new IllegalStateException("agent '" + task.agent().name() + "' (plug-in " + origin + ") failed: "
                + describe(e), e);
        }
    }
}
