package dev.ludus.envs.toytext;

import java.util.Map;

/**
 * One possible outcome of an action in a tabular env (an entry of Gymnasium's {@code P[s][a]}).
 *
 * @param prob       probability of this outcome
 * @param next       the next state
 * @param reward     the reward
 * @param terminated whether the next state ends the episode
 * @param info       Gymnasium's step info {@code {"prob": prob}}, built once and shared
 */
public record Transition(double prob, int next, double reward, boolean terminated, Map<String, Object> info) {
    public Transition(double prob, int next, double reward, boolean terminated) {
        this(prob, next, reward, terminated, Map.of("prob", prob));
    }
}
