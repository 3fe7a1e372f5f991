package dev.ludus.nn.layer;

import dev.ludus.nn.Network;
import dev.ludus.nn.kernel.Gemm64;
import dev.ludus.nn.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.ObjIntConsumer;

/**
 * A network under a finite-difference check: the production float32 {@link Network}, or its float64 reference
 * (the generated {@link LayerStack64} twin of the same architecture and seed), whose tight tolerances check the
 * formulas both share. Inputs and upstream gradients are given as floats; losses and outputs come back as doubles.
 */
interface CheckedNetwork {

    /** The network itself and its float64 reference. */
    static List<CheckedNetwork> both(Network net) {
        return List.of(new Float32(net), new Float64(net));
    }

    boolean float64();

    /** The production network (for the float64 reference: the one it was built from). */
    Network net();

    /** "FLOAT32" or "FLOAT64", for labels. */
    default String precision() {
        return float64() ? "FLOAT64" : "FLOAT32";
    }

    default String describe() {
        return net().describe();
    }

    default int inputs() {
        return net().inputs();
    }

    default int outputs() {
        return net().outputs();
    }

    /** Training forward; the outputs ({@code rows x outputs}). */
    double[] forwardTrain(float[] x, int rows);

    /** Loss of the last training forward; keeps dLoss/dOut for {@link #backwardFromLoss}. */
    double loss(Loss loss, float[] target, float[] mask, float[] sampleWeights);

    void backwardFromLoss();

    void backward(float[] dOut);

    void backward(float[] dOut, float[] dInput);

    void inputGradient(float[] dOut, float[] dInput);

    /** Every parameter array, seen as doubles. */
    List<P> params();

    /**
     * Training forward on {@code rows} sequences of {@code steps} steps from a copy of {@code state} (may be null)
     * with {@code resets} (may be null), then the MSE to {@code target}; keeps dLoss/dOut for
     * {@link #backwardFromLoss(float[])}.
     */
    double sequenceLoss(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] target);

    /** Back-propagates the last loss, setting every parameter gradient and dLoss/dInput. */
    void backwardFromLoss(float[] dInput);

    /** A parameter array of either precision, seen as doubles. */
    record P(String name, int size, IntToDoubleFunction get, ObjIntConsumer<Double> set, IntToDoubleFunction grad) {
    }

    /** The production network. */
    record Float32(Network net) implements CheckedNetwork {
        @Override
        public boolean float64() {
            return false;
        }

        @Override
        public double[] forwardTrain(float[] x, int rows) {
            float[] y = net.forwardTrain(x, rows);
            double[] out = new double[rows * net.outputs()];
            for (int i = 0; i < out.length; i++) {
                out[i] = y[i];
            }
            return out;
        }

        @Override
        public double loss(Loss loss, float[] target, float[] mask, float[] sampleWeights) {
            return net.layerStack().loss(loss, target, mask, sampleWeights);
        }

        @Override
        public void backwardFromLoss() {
            net.layerStack().backwardFromLoss();
        }

        @Override
        public void backward(float[] dOut) {
            net.backward(dOut);
        }

        @Override
        public void backward(float[] dOut, float[] dInput) {
            net.backward(dOut, dInput);
        }

        @Override
        public void inputGradient(float[] dOut, float[] dInput) {
            net.inputGradient(dOut, dInput);
        }

        @Override
        public double sequenceLoss(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] target) {
            net.forwardTrain(x, rows, steps, state == null ? null : state.copy(), resets);
            return net.layerStack().loss(Loss.MSE, target, null, null);
        }

        @Override
        public void backwardFromLoss(float[] dInput) {
            net.layerStack().backwardFromLoss(dInput);
        }

        @Override
        public List<P> params() {
            List<P> out = new ArrayList<>();
            for (Param p : net.layerStack().params()) {
                out.add(new P(p.name, p.value.length, i -> p.value[i], (v, i) -> p.value[i] = (float) (double) v,
                        i -> p.grad[i]));
            }
            return out;
        }
    }

    /** The float64 reference of a network: its architecture, initialiser and seed, on the generated twin. */
    final class Float64 implements CheckedNetwork {
        private final Network net;
        private final LayerStack64 stack;

        Float64(Network net) {
            this.net = net;
            SplittableRandom rng = new SplittableRandom(net.seed());
            rng.split(); // as Network: the dropout stream is split off first
            dev.ludus.envs.state.SplitMixRandom dropoutRng = new dev.ludus.envs.state.SplitMixRandom(net.seed()).split();
            this.stack = new LayerStack64(net.inputShape(), net.architecture(), net.init(), new Gemm64(), rng, dropoutRng);
        }

        private static double[] widen(float[] x) {
            if (x == null) {
                return null;
            }
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = x[i];
            }
            return d;
        }

        private static void narrow(double[] from, float[] into) {
            for (int i = 0; i < from.length && i < into.length; i++) {
                into[i] = (float) from[i];
            }
        }

        @Override
        public boolean float64() {
            return true;
        }

        @Override
        public Network net() {
            return net;
        }

        @Override
        public double[] forwardTrain(float[] x, int rows) {
            double[] y = stack.forwardTrain(widen(x), rows);
            return java.util.Arrays.copyOf(y, rows * stack.outputs());
        }

        @Override
        public double loss(Loss loss, float[] target, float[] mask, float[] sampleWeights) {
            return stack.loss(loss, widen(target), widen(mask), widen(sampleWeights));
        }

        @Override
        public void backwardFromLoss() {
            stack.backwardFromLoss();
        }

        @Override
        public void backward(float[] dOut) {
            stack.backward(widen(dOut));
        }

        @Override
        public void backward(float[] dOut, float[] dInput) {
            double[] dx = new double[stack.trainInputValues()];
            stack.backward(widen(dOut), dx);
            narrow(dx, dInput);
        }

        @Override
        public void inputGradient(float[] dOut, float[] dInput) {
            double[] dx = new double[stack.trainInputValues()];
            stack.inputGradient(widen(dOut), dx);
            narrow(dx, dInput);
        }

        @Override
        public double sequenceLoss(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] target) {
            stack.forwardTrain(widen(x), rows, stack.steps(steps), state == null ? null : state.copy(), widen(resets));
            return stack.loss(Loss.MSE, widen(target), null, null);
        }

        @Override
        public void backwardFromLoss(float[] dInput) {
            double[] dx = new double[stack.trainInputValues()];
            stack.backwardFromLoss(dx);
            narrow(dx, dInput);
        }

        @Override
        public List<P> params() {
            List<P> out = new ArrayList<>();
            for (Param64 p : stack.params()) {
                out.add(new P(p.name, p.value.length, i -> p.value[i], (v, i) -> p.value[i] = v, i -> p.grad[i]));
            }
            return out;
        }
    }
}
