package dev.ludus.envs;

import java.util.function.Supplier;

/**
 * A registry entry (Gymnasium's {@code EnvSpec}).
 *
 * @param id              unique id such as {@code CartPole-v1} (non-blank, no whitespace)
 * @param factory         makes a fresh, unwrapped env
 * @param maxEpisodeSteps time limit applied by {@link Envs#make(String)}; {@code null} for none
 * @param rewardThreshold episode return at which the task counts as solved; {@code null} if none
 */
public record EnvSpec(String id, Supplier<Env<?, ?>> factory, Integer maxEpisodeSteps, Double rewardThreshold) {
    public EnvSpec {
        if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("EnvSpec.id must be non-blank without whitespace, got '" + id + "'");
        }
        if (factory == null) {
            throw new IllegalArgumentException("EnvSpec.factory must not be null (id " + id + ")");
        }
        if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("EnvSpec.maxEpisodeSteps must be > 0 or null, got " + maxEpisodeSteps
                    + " (id " + id + ")");
        }
        if (rewardThreshold != null && rewardThreshold.isNaN()) {
            throw new IllegalArgumentException("EnvSpec.rewardThreshold must not be NaN (id " + id + ")");
        }
    }
}
