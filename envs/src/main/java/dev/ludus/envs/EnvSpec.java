package dev.ludus.envs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A registry entry (Gymnasium's {@code EnvSpec}).
 *
 * @param id              unique id such as {@code CartPole-v1} (non-blank, no whitespace)
 * @param entryPoint      makes a fresh, unwrapped env from its keyword arguments (the defaults in
 *                        {@code kwargs} overridden by the caller's, see {@link Envs#make(String, Map)});
 *                        it reads each with {@link EnvKwargs}' typed getters, which reject bad values
 *                        naming the argument
 * @param maxEpisodeSteps time limit applied by {@link Envs#make(String)}; {@code null} for none
 * @param rewardThreshold episode return at which the task counts as solved; {@code null} if none
 * @param kwargs          the keyword arguments the env takes, with their defaults (Gymnasium's
 *                        {@code spec.kwargs}); insertion order is kept; a default may be {@code null}
 */
public record EnvSpec(String id, Function<EnvKwargs, ? extends Env<?, ?>> entryPoint, Integer maxEpisodeSteps,
                      Double rewardThreshold, Map<String, Object> kwargs) {
    public EnvSpec {
        if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("EnvSpec.id must be non-blank without whitespace, got '" + id + "'");
        }
        if (entryPoint == null) {
            throw new IllegalArgumentException("EnvSpec.factory must not be null (id " + id + ")");
        }
        if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("EnvSpec.maxEpisodeSteps must be > 0 or null, got " + maxEpisodeSteps
                    + " (id " + id + ")");
        }
        if (rewardThreshold != null && rewardThreshold.isNaN()) {
            throw new IllegalArgumentException("EnvSpec.rewardThreshold must not be NaN (id " + id + ")");
        }
        if (kwargs == null) {
            kwargs = Map.of();
        } else {
            for (String name : kwargs.keySet()) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("EnvSpec.kwargs: names must be non-blank (id " + id + ")");
                }
            }
            // LinkedHashMap (not Map.copyOf) keeps the declared order and allows null defaults
            kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        }
    }

    /** An env without keyword arguments (the form every spec had before kwargs). */
    public EnvSpec(String id, Supplier<Env<?, ?>> factory, Integer maxEpisodeSteps, Double rewardThreshold) {
        this(id, factory == null ? null : kwargs -> factory.get(), maxEpisodeSteps, rewardThreshold, Map.of());
    }

    /** Makes a fresh, unwrapped env with the default keyword arguments. */
    public Supplier<Env<?, ?>> factory() {
        return () -> entryPoint.apply(EnvKwargs.resolve(this, Map.of()));
    }
}
