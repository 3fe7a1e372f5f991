package dev.ludus.platform.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.SweepPlan;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep parser checks values and distributions against the agent's declared params, naming the element. */
class SweepParserDeclarationsTest {

    private static String sweep(String method, String params) {
        return """
            {"name": "t", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 100},
             "search": {"method": "%s", "trials": 4}, "params": %s}""".formatted(method, params);
    }

    private static void rejected(String field, String message, String sweep) {
        BadInput e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep, TrialExecutor.RUNS));
        assertEquals(field, e.field());
        assertEquals(message, e.getMessage());
    }

    @Test
    void valuesAndDistributionsAreCheckedAgainstTheDeclarations() {
        rejected("params.lr[1]", "params.lr[1]: must be > 0, got -1", sweep("grid", "{\"lr\": [0.1, -1]}"));
        rejected("params.loss[0]", "params.loss[0]: must be one of huber, mse, got 'l1'",
            sweep("grid", "{\"loss\": [\"l1\", \"mse\"]}"));
        rejected("params.hidden[1]", "params.hidden[1]: every element must be >= 1, got [64, 0]",
            sweep("grid", "{\"hidden\": [[64], [64, 0]]}"));
        rejected("params.learning_rate", "params.learning_rate: unknown parameter for agent dqn; did you mean lr? Known: hidden, init, "
            + "optimizer, lr, gamma, batch_size, buffer_size, learning_starts, train_freq, gradient_steps, "
            + "target_update_interval, tau, loss, max_grad_norm, epsilon_schedule, epsilon_start, epsilon_end, "
            + "exploration_fraction, double_q, dueling, prioritized, per_alpha, per_beta, per_eps, n_step, threads",
            sweep("grid", "{\"learning_rate\": 0.1}"));
        rejected("params.gama", "params.gama: unknown parameter for agent dqn; did you mean gamma? Known: hidden, init, "
            + "optimizer, lr, gamma, batch_size, buffer_size, learning_starts, train_freq, gradient_steps, "
            + "target_update_interval, tau, loss, max_grad_norm, epsilon_schedule, epsilon_start, epsilon_end, "
            + "exploration_fraction, double_q, dueling, prioritized, per_alpha, per_beta, per_eps, n_step, threads",
            sweep("grid", "{\"gama\": 0.9}"));
        rejected("params.batch_size", "params.batch_size: an int param takes int_uniform (or a list), not uniform",
            sweep("random", "{\"batch_size\": {\"uniform\": [16, 64]}}"));
        rejected("params.gamma.uniform[1]", "params.gamma.uniform[1]: must be in (0, 1], got 1.5",
            sweep("random", "{\"gamma\": {\"uniform\": [0.9, 1.5]}}"));
        rejected("params.dueling", "params.dueling: a boolean param takes a list of values, not uniform",
            sweep("random", "{\"dueling\": {\"uniform\": [0, 1]}}"));
        rejected("params.loss", "params.loss: a choice param takes a list of values, not int_uniform (choices: huber, mse)",
            sweep("random", "{\"loss\": {\"int_uniform\": [0, 1]}}"));

        SweepPlan plan = SweepParser.parse(sweep("random", "{\"batch_size\": {\"int_uniform\": [16, 64]}, "
            + "\"lr\": {\"log_uniform\": [0.0001, 0.01]}, \"hidden\": [[32], [64, 64]]}"), TrialExecutor.RUNS);
        assertEquals(4, plan.runs().size());
        for (SweepPlan.PlannedRun run : plan.runs()) {
            JsonObject p = run.params();
            assertEquals(List.of("batch_size", "lr", "hidden"), List.copyOf(p.fieldNames()));
        }
    }
}
