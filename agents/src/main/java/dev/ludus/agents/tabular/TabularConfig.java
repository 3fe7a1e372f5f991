package dev.ludus.agents.tabular;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.Schedule;

/** Hyperparameters of the tabular agents (Q-learning, SARSA, Expected SARSA), each declared once. */
public final class TabularConfig {

    private TabularConfig() {
    }

    public static final Param<Double> LR = Param.real("lr", 0.1, "step size α of the TD update").greaterThan(0).atMost(1);
    public static final Param<Double> GAMMA = Param.real("gamma", 0.99, "discount factor γ").greaterThan(0).atMost(1);
    public static final Param<Schedule.Decay> EPSILON_SCHEDULE = Schedule.EPSILON_SCHEDULE;
    public static final Param<Double> EPSILON_START = Schedule.EPSILON_START;
    public static final Param<Double> EPSILON_END = Schedule.epsilonEnd(0.05);
    public static final Param<Double> EXPLORATION_FRACTION = Schedule.explorationFraction(0.5);
    public static final Param<Double> INITIAL_Q = Param.real("initial_q", 0.0,
        "initial value of every Q(s, a) (optimistic values explore)");

    public static final ParamSet PARAMS = ParamSet.of(LR, GAMMA, EPSILON_SCHEDULE, EPSILON_START, EPSILON_END,
            EXPLORATION_FRACTION, INITIAL_Q)
        .check(v -> Schedule.checkDecay(v, EPSILON_END));
}
