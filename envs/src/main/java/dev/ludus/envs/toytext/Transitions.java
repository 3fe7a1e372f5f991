package dev.ludus.envs.toytext;

import java.util.List;

/**
 * A tabular MDP as Gymnasium's toy-text envs hold it ({@code P[s][a]} = list of (prob, next state,
 * reward, terminated)), sampled with Gymnasium's {@code categorical_sample}: the first outcome whose
 * cumulative probability exceeds a uniform draw.
 */
final class Transitions {
    private final Transition[][][] table;

    Transitions(Transition[][][] table) {
        this.table = table;
    }

    /** {@code P[state][action]}; an out-of-range state or action is an {@link IllegalArgumentException} naming it. */
    List<Transition> outcomes(int state, int action) {
        inRange(state, table.length, "state");
        inRange(action, table[state].length, "action");
        return List.of(table[state][action]);
    }

    private static void inRange(int value, int n, String what) {
        if (value < 0 || value >= n) {
            throw new IllegalArgumentException(what + " " + value + " is out of range [0, " + n + ")");
        }
    }

    Transition sample(int state, int action, java.util.random.RandomGenerator rng) {
        Transition[] outs = table[state][action];
        if (outs.length == 1) {
            return outs[0];
        }
        double u = rng.nextDouble();
        double cumulative = 0;
        for (Transition o : outs) {
            cumulative += o.prob();
            if (cumulative > u) {
                return o;
            }
        }
        return outs[outs.length - 1]; // rounding: cumulative sum just below 1
    }
}
