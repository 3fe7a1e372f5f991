package dev.ludus.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.layer.Param;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/** {@link Network#parameters()}: zero-copy ojAlgo views that follow training and that ojAlgo can analyse. */
class ParameterViewsTest {

    private static Network net() {
        return Network.builder(Shape.of(2, 5, 5)).seed(3).threads(1).conv(3, 3, 1, 1, Activation.RELU).batchNorm()
                .flatten().dense(6, Activation.TANH).dense(2).build();
    }

    @Test
    void everyWeightAndBiasIsAViewOfTheNetworksOwnArray() {
        Network net = net();
        Map<String, R032Store> views = net.parameters();
        // layers: 0 conv, 1 relu, 2 batchnorm, 3 flatten, 4 dense, 5 tanh, 6 dense
        assertEquals(List.of("0.W", "0.b", "2.gamma", "2.beta", "4.W", "4.b", "6.W", "6.b"), List.copyOf(views.keySet()));
        Param[] params = net.layerStack().params();
        int k = 0;
        long scalars = 0;
        for (R032Store view : views.values()) {
            assertSame(params[k++].value, view.data, "no copy");
            scalars += view.count();
        }
        assertEquals(net.parameterCount(), scalars);
        // a dense weight is out x in (PyTorch's layout), a convolution's (channels*k*k) x filters, biases columns
        R032Store dense = views.get("4.W");
        assertEquals(6, dense.getRowDim());
        assertEquals(75, dense.getColDim());
        assertEquals(18, views.get("0.W").getRowDim());
        assertEquals(3, views.get("0.W").getColDim());
        assertEquals(6, views.get("4.b").getRowDim());
        assertEquals(1, views.get("4.b").getColDim());
        assertThrows(UnsupportedOperationException.class, () -> views.put("x", dense));
    }

    @Test
    void viewsFollowTrainingAndWritesReachTheNetwork() {
        Network net = net();
        R032Store w = net.parameters().get("4.W");
        float[] stored = net.layerStack().params()[4].value;
        float before = w.floatValue(2, 7);
        // W[in][out] row-major in the layer: element (out o, in i) of the view
        assertEquals(stored[7 * 6 + 2], before);

        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[8 * net.inputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] target = Loss.oneHot(new int[] {0, 1, 1, 0, 1, 0, 0, 1}, 2);
        Optimizer opt = Optimizer.adam(0.05);
        for (int step = 0; step < 3; step++) {
            net.trainStep(x, 8, Loss.SOFTMAX_CROSS_ENTROPY, target, null, null, opt);
        }
        assertNotEquals(before, w.floatValue(2, 7), "the view shows the trained weight");
        assertEquals(stored[7 * 6 + 2], w.floatValue(2, 7));

        float[] out = net.predict(x, 8);
        R032Store last = net.parameters().get("6.b");
        last.set(1, 0, last.doubleValue(1, 0) + 1.0);
        float[] shifted = net.predict(x, 8);
        for (int r = 0; r < 8; r++) {
            assertEquals(out[2 * r], shifted[2 * r]);
            assertEquals(out[2 * r + 1] + 1f, shifted[2 * r + 1], 1e-5, "the write reached the network");
        }
    }

    @Test
    void ojAlgoAnalysesAViewAsItDoesACopy() {
        Network net = net();
        for (Map.Entry<String, R032Store> e : net.parameters().entrySet()) {
            R032Store view = e.getValue();
            R064Store copy = R064Store.FACTORY.copy(view);
            assertFalse(copy.data == (Object) view.data);
            double sumSq = 0;
            for (float v : view.data) {
                sumSq += (double) v * v;
            }
            assertEquals(copy.norm(), view.norm(), 1e-5 * (1 + copy.norm()), e.getKey() + " norm");

            SingularValue<Double> onView = SingularValue.R064.make(view);
            SingularValue<Double> onCopy = SingularValue.R064.make(copy);
            assertTrue(onView.decompose(view), e.getKey());
            assertTrue(onCopy.decompose(copy), e.getKey());
            double[] a = new double[Math.min(view.getRowDim(), view.getColDim())];
            double[] b = new double[a.length];
            onView.getSingularValues(a);
            onCopy.getSingularValues(b);
            assertArrayEquals(b, a, 1e-9 * (1 + b[0]), e.getKey() + " singular values");
            assertEquals(onCopy.getOperatorNorm(), onView.getOperatorNorm(), 1e-9 * (1 + b[0]));
            assertEquals(Math.sqrt(sumSq), onView.getFrobeniusNorm(), 1e-9 * (1 + Math.sqrt(sumSq)), e.getKey());
        }
    }
}
