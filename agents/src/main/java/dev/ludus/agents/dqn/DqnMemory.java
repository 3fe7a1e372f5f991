package dev.ludus.agents.dqn;

import dev.ludus.agents.ParamValues;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Dqn} allocates, in bytes, by the param that drives each part: the replay buffer
 * ({@code buffer_size} x (two float observations + action, reward, discount), plus the sum trees of prioritised
 * replay), the networks ({@code hidden}: online and target weights, gradients, optimiser moments), the n-step
 * window ({@code n_step}), per-batch activations ({@code batch_size}) and a training phase's batches drawn
 * ahead ({@code gradient_steps}). An estimate from the sizes of the arrays, computed in doubles so that no
 * product overflows; object headers and the env are left out.
 */
final class DqnMemory {

    private static final double FLOAT = 4;
    private static final double INT = 4;
    private static final double DOUBLE = 8;
    /** same cap as Dqn's phase: larger phases are not drawn ahead */
    private static final double PHASE_MAX_FLOATS = 1L << 24;

    private DqnMemory() {
    }

    /** {@link dev.ludus.agents.AgentSpec.MemoryEstimate} of DQN (a Box observation, Discrete actions). */
    static Map<String, Double> estimate(ParamValues c, Space<?> observationSpace, Space<?> actionSpace) {
        return estimate(c, ((Box) observationSpace).size(), ((Discrete) actionSpace).n());
    }

    static Map<String, Double> estimate(ParamValues c, int obsDim, int actions) {
        int outputs = c.get(DqnConfig.DUELING) ? actions + 1 : actions;
        double buffer = c.get(DqnConfig.BUFFER_SIZE);
        double replay = buffer * (2 * obsDim * FLOAT + INT + 2 * FLOAT);
        if (c.get(DqnConfig.PRIORITIZED)) {
            replay += 2 * Math.pow(2, Math.ceil(Math.log(buffer) / Math.log(2))) * 2 * DOUBLE;
        }
        double parameters = 0;
        double widths = 0;
        double in = obsDim;
        for (int width : c.get(DqnConfig.HIDDEN)) {
            parameters += in * width + width;
            widths += width;
            in = width;
        }
        parameters += in * outputs + outputs;
        widths += outputs;
        // online: weights, gradients, up to two optimiser moments; target: weights and gradients
        double networks = parameters * FLOAT * 6;
        double batch = c.get(DqnConfig.BATCH_SIZE);
        // activations and their gradients for the online and target passes, plus the batch itself
        double activations = batch * widths * FLOAT * 4 + batch * (2 * obsDim + 8) * FLOAT;
        double nStep = c.get(DqnConfig.N_STEP) * (obsDim * FLOAT + INT + DOUBLE);
        double phaseFloats = 2.0 * c.get(DqnConfig.GRADIENT_STEPS) * batch * obsDim;
        double phase = phaseFloats <= PHASE_MAX_FLOATS
            ? (phaseFloats + c.get(DqnConfig.GRADIENT_STEPS) * batch * (outputs + 5)) * FLOAT : 0;
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("buffer_size", replay);
        parts.put("hidden", networks);
        parts.put("batch_size", activations);
        parts.put("n_step", nStep);
        parts.put("gradient_steps", phase);
        return parts;
    }
}
