package dev.ludus.agents.tabular;

import dev.ludus.agents.ParamSpec;
import dev.ludus.agents.Params;
import dev.ludus.agents.Schedule;
import java.util.List;
import java.util.Map;

/**
 * Hyperparameters of the tabular agents (Q-learning, SARSA, Expected SARSA), validated at construction.
 *
 * @param lr                  step size α of the TD update, in (0, 1]
 * @param gamma               discount γ, in (0, 1]
 * @param epsilonSchedule     {@code linear} or {@code exponential} decay of ε
 * @param epsilonStart        ε at step 0, in [0, 1]
 * @param epsilonEnd          ε after {@code explorationFraction} of the budget, in [0, 1]
 * @param explorationFraction fraction of the training budget over which ε decays, in [0, 1]
 * @param initialQ            value every Q(s, a) starts at (optimistic values explore)
 */
public record TabularConfig(double lr, double gamma, String epsilonSchedule, double epsilonStart,
                            double epsilonEnd, double explorationFraction, double initialQ) {

    public static final List<ParamSpec> PARAMS = List.of(
        new ParamSpec("lr", ParamSpec.DOUBLE, 0.1, "step size α of the TD update, in (0, 1]"),
        new ParamSpec("gamma", ParamSpec.DOUBLE, 0.99, "discount factor γ, in (0, 1]"),
        new ParamSpec("epsilon_schedule", ParamSpec.STRING, "linear", "ε decay: linear or exponential"),
        new ParamSpec("epsilon_start", ParamSpec.DOUBLE, 1.0, "exploration rate ε at step 0, in [0, 1]"),
        new ParamSpec("epsilon_end", ParamSpec.DOUBLE, 0.05, "final exploration rate ε, in [0, 1]"),
        new ParamSpec("exploration_fraction", ParamSpec.DOUBLE, 0.5,
            "fraction of the step budget over which ε decays from epsilon_start to epsilon_end, in [0, 1]"),
        new ParamSpec("initial_q", ParamSpec.DOUBLE, 0.0, "initial value of every Q(s, a)"));

    public TabularConfig {
        if (!(lr > 0 && lr <= 1)) {
            throw new IllegalArgumentException("lr: must be in (0, 1], got " + lr);
        }
        Params.discount("gamma", gamma);
        Schedule.checkDecay(epsilonSchedule, epsilonStart, epsilonEnd, explorationFraction);
        if (!Double.isFinite(initialQ)) {
            throw new IllegalArgumentException("initial_q: must be finite, got " + initialQ);
        }
    }

    public static TabularConfig defaults() {
        return fromParams("q-learning", Map.of());
    }

    /** Reads a params map; unknown names and bad values throw naming the param. */
    public static TabularConfig fromParams(String agent, Map<String, Object> params) {
        Params p = new Params(agent, params, PARAMS);
        return new TabularConfig(p.getDouble("lr"), p.getDouble("gamma"), p.getString("epsilon_schedule"),
            p.getDouble("epsilon_start"), p.getDouble("epsilon_end"), p.getDouble("exploration_fraction"),
            p.getDouble("initial_q"));
    }
}
