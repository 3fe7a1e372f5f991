package dev.ludus.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The layers, parameters and buffers of a network in one number type: {@link Core32} (float) is written
 * by hand, {@link Core64} (double) is generated from it (see {@code Float64SourcesTest}). The public
 * {@link Network} API exchanges {@code float[]}; {@link Convert} moves data across.
 */
abstract class Core {
    abstract int outputs();

    abstract long parameterCount();

    /**
     * Inference on {@code rows} samples of {@code steps} steps ({@link #steps} resolved), starting from and updating
     * {@code state} (null: zeros), with {@code resets} ({@code rows x steps}, may be null).
     */
    abstract void predict(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] out);

    void predict(float[] x, int rows, float[] out) {
        predict(x, rows, steps(0), null, null, out);
    }

    /** Training forward; the result is a float view of the output (the output buffer itself in float32). */
    abstract float[] forwardTrain(float[] x, int rows, int steps, RecurrentState state, float[] resets);

    float[] forwardTrain(float[] x, int rows) {
        return forwardTrain(x, rows, steps(0), null, null);
    }

    /** The step count a call runs: the architecture's when {@code requested <= 0}; refuses one it cannot run. */
    abstract int steps(int requested);

    /** Input values of {@code rows} samples of {@code steps} steps. */
    abstract int inputValues(int rows, int steps);

    /** Output rows of {@code rows} samples of {@code steps} steps: rows x steps when the output is a sequence. */
    abstract int outputRows(int rows, int steps);

    abstract RecurrentState newState(int rows);

    /** A float view of the output of the last training forward. */
    abstract float[] trainOutputView();

    /** Input values of the last training forward. */
    abstract int trainInputValues();

    abstract void backward(float[] dOut);

    /** {@link #backward(float[])} that also writes dLoss/dInput into {@code dInput} ({@code rows x inputs}). */
    abstract void backward(float[] dOut, float[] dInput);

    /** dLoss/dInput only, into {@code dInput}; parameter gradients are left as they are. */
    abstract void inputGradient(float[] dOut, float[] dInput);

    /** Loss of the last training forward; writes dLoss/dOut into the core's own buffer. */
    abstract double loss(Loss loss, float[] target, float[] mask, float[] sampleWeights);

    /** Back-propagates the buffer {@link #loss} filled. */
    abstract void backwardFromLoss();

    /** {@link #backwardFromLoss()} that also writes dLoss/dInput into {@code dInput} (gradient checks). */
    abstract void backwardFromLoss(float[] dInput);

    /** Output rows of the last training forward (0 before any). */
    abstract int trainRows();

    abstract void copyFrom(Core other);

    abstract void blendFrom(Core other, double tau);

    abstract void writeValues(DataOutputStream out) throws IOException;

    abstract void readValues(DataInputStream in) throws IOException;

    abstract int layerCount();

    abstract int layerOut(int i);

    /** Layer i's output of the last training forward, as floats (tests). */
    abstract float[] trainActivation(int i);
}
