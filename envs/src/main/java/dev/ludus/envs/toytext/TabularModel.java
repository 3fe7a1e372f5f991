package dev.ludus.envs.toytext;

import java.util.List;

/** The full transition model of a tabular env, for dynamic programming (value/policy iteration). */
public interface TabularModel {
    int stateCount();

    int actionCount();

    /** Gymnasium's {@code P[state][action]}; throws {@link IllegalArgumentException} out of range. */
    List<Transition> transitions(int state, int action);
}
