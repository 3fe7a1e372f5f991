package dev.ludus.agents;

import dev.ludus.envs.Box;
import dev.ludus.envs.Space;

/**
 * Sizes for the built-in agents' {@link AgentSpec.MemoryEstimate}s: what their arrays take, in doubles so that no
 * product overflows. Estimates from array sizes: object headers and the envs are left out.
 */
public final class MemoryParts {

    /** bytes of a float */
    public static final double FLOAT = 4;

    private MemoryParts() {
    }

    /** Values in one observation or action of this space: a Box's size, 1 for a Discrete index. */
    public static int values(Space<?> space) {
        return space instanceof Box box ? box.size() : 1;
    }

    /** Weights and biases of a dense network {@code in -> hidden... -> out}. */
    public static double parameters(int in, int[] hidden, int out) {
        double total = 0;
        double width = in;
        for (int h : hidden) {
            total += width * h + h;
            width = h;
        }
        return total + width * out + out;
    }

    /** Activations per row of that network (every layer's output). */
    public static double activationsPerRow(int[] hidden, int out) {
        double total = out;
        for (int h : hidden) {
            total += h;
        }
        return total;
    }
}
