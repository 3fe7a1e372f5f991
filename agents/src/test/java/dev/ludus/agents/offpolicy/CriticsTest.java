package dev.ludus.agents.offpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.init.Init;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CriticsTest {

    private static double sumOfQ(Critics critics, float[] input, int rows, boolean min) {
        double total = 0;
        float[][] q = new float[critics.count()][];
        for (int k = 0; k < critics.count(); k++) {
            q[k] = critics.online(k).predict(input, rows);
        }
        for (int i = 0; i < rows; i++) {
            double v = q[0][i];
            if (min) {
                for (int k = 1; k < critics.count(); k++) {
                    v = Math.min(v, q[k][i]);
                }
            }
            total += v;
        }
        return total;
    }

    @Test
    void actionGradientIsTheGradientOfTheMinimumOrTheFirstCriticSummedOverRows() {
        int obsDim = 3;
        int actionDim = 2;
        int rows = 6;
        for (boolean min : new boolean[] {true, false}) {
            Critics critics = new Critics(2, obsDim, actionDim, new int[] {16, 16}, Init.XAVIER, 1e-3, 1, rows,
                new SplittableRandom(5));
            SplittableRandom rng = new SplittableRandom(9);
            int w = obsDim + actionDim;
            float[] input = new float[rows * w];
            for (int i = 0; i < input.length; i++) {
                input[i] = Math.round(rng.nextGaussian() * 512) / 512f;
            }
            float[] grad = new float[rows * actionDim];
            double qMean = critics.actionGradient(input.clone(), min, grad);
            assertEquals(sumOfQ(critics, input, rows, min) / rows, qMean, 1e-5);
            int off = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < actionDim; j++) {
                    int at = i * w + obsDim + j;
                    float saved = input[at];
                    double h = 1.0 / 512;
                    input[at] = (float) (saved + h);
                    double plus = sumOfQ(critics, input, rows, min);
                    input[at] = (float) (saved - h);
                    double minus = sumOfQ(critics, input, rows, min);
                    input[at] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    if (Math.abs(numeric - grad[i * actionDim + j]) > 2e-3 + 2e-2 * Math.abs(numeric)) {
                        off++; // a ReLU kink or the min switching critics inside ±h
                    }
                }
            }
            assertTrue(off <= 1, "min=" + min + ": " + off + " of " + rows * actionDim + " gradients off");
        }
    }

    @Test
    void trainingMovesEachCriticTowardsTheTargetsAndTargetsFollowByTau() {
        int rows = 32;
        Critics critics = new Critics(2, 1, 1, new int[] {16}, Init.TORCH, 1e-2, 1, rows, new SplittableRandom(1));
        float[] input = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            input[2 * i] = i / (float) rows;
            input[2 * i + 1] = -input[2 * i];
            y[i] = 3 * input[2 * i];
        }
        double[] q = new double[1];
        double first = critics.train(input, y, 0.5, q);
        double last = first;
        for (int s = 0; s < 300; s++) {
            last = critics.train(input, y, 0.5, q);
        }
        assertTrue(last < first / 20, first + " -> " + last);
        float before = critics.target(0).predict(input, 1)[0];
        float online = critics.online(0).predict(input, 1)[0];
        critics.softUpdateTargets(1.0);
        assertEquals(online, critics.target(0).predict(input, 1)[0], 1e-6);
        assertTrue(Math.abs(before - online) > 1e-3, "the target had not moved before the update");
    }
}
