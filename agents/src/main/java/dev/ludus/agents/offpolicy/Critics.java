package dev.ludus.agents.offpolicy;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.Optimizer;
import java.util.SplittableRandom;

/**
 * One or more Q(s, a) critics on input rows {@code [s, a]}, each with its own Polyak-averaged target copy and its own
 * Adam (the same as one Adam over all of them: Adam is element-wise). SAC and TD3 use two (clipped double Q:
 * the minimum of the target critics), DDPG one.
 */
final class Critics {
    private final Network[] online;
    private final Network[] target;
    private final Optimizer[] optimizers;
    private final int obsDim;
    private final int actionDim;
    private final int batchSize;
    // scratch
    private final float[][] values;
    private final float[] dOut;
    private final float[] dInput;

    Critics(int count, int obsDim, int actionDim, int[] hidden, Init init, double lr, int threads, int batchSize,
            SplittableRandom rng) {
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        this.batchSize = batchSize;
        online = new Network[count];
        target = new Network[count];
        optimizers = new Optimizer[count];
        values = new float[count][batchSize];
        for (int k = 0; k < count; k++) {
            online[k] = mlp(obsDim + actionDim, hidden, 1, Activation.IDENTITY, init, threads, rng.nextLong());
            target[k] = online[k].copy();
            optimizers[k] = Optimizer.adam(lr);
        }
        dOut = new float[batchSize];
        dInput = new float[batchSize * (obsDim + actionDim)];
    }

    /** An MLP with ReLU hidden layers and {@code last} after the output layer. */
    static Network mlp(int inputs, int[] hidden, int outputs, Activation last, Init init, int threads, long seed) {
        Network.Builder b = Network.builder(inputs).seed(seed).init(init).threads(threads);
        for (int width : hidden) {
            b.dense(width, Activation.RELU);
        }
        return b.dense(outputs, last).build();
    }

    int count() {
        return online.length;
    }

    Network online(int k) {
        return online[k];
    }

    Network target(int k) {
        return target[k];
    }

    /** {@code out[i] = min_k Q_target_k(row i)} for {@code rows} rows of {@code [s', a']}. */
    void minTarget(float[] observationActions, int rows, float[] out) {
        target[0].predict(observationActions, rows, out);
        for (int k = 1; k < target.length; k++) {
            target[k].predict(observationActions, rows, values[k]);
            for (int i = 0; i < rows; i++) {
                out[i] = Math.min(out[i], values[k][i]);
            }
        }
    }

    /**
     * One Adam step of every critic on {@code weight · Σ_k mean_i (Q_k(s_i, a_i) − y_i)²}; returns that loss
     * (SB3: weight 0.5 for SAC, 1 for TD3). {@code qMean[0]} receives the mean of Q_1 over the batch.
     */
    double train(float[] observationActions, float[] y, double weight, double[] qMean) {
        int rows = batchSize;
        double loss = 0;
        for (int k = 0; k < online.length; k++) {
            float[] q = online[k].forwardTrain(observationActions, rows);
            double sum = 0;
            double qSum = 0;
            for (int i = 0; i < rows; i++) {
                double delta = q[i] - y[i];
                sum += delta * delta;
                qSum += q[i];
                dOut[i] = (float) (weight * 2 * delta / rows);
            }
            if (k == 0) {
                qMean[0] = qSum / rows;
            }
            loss += weight * sum / rows;
            if (!Double.isFinite(sum)) {
                return Double.NaN;
            }
            online[k].backward(dOut);
            optimizers[k].step(online[k]);
        }
        return loss;
    }

    /**
     * The gradient with respect to each row's action of {@code Σ_i Q(s_i, a_i)}, where Q is the minimum over the
     * critics ({@code min = true}, SAC) or the first critic (TD3, DDPG), into {@code dAction} ({@code rows x
     * actionDim}). Returns the mean of that Q over the rows. Parameter gradients are not computed.
     */
    double actionGradient(float[] observationActions, boolean min, float[] dAction) {
        int rows = batchSize;
        int used = min ? online.length : 1;
        for (int k = 0; k < used; k++) {
            float[] q = online[k].forwardTrain(observationActions, rows);
            System.arraycopy(q, 0, values[k], 0, rows);
        }
        java.util.Arrays.fill(dAction, 0, rows * actionDim, 0f);
        double qSum = 0;
        for (int k = 0; k < used; k++) {
            boolean any = false;
            for (int i = 0; i < rows; i++) {
                boolean chosen = argmin(i, used) == k;
                dOut[i] = chosen ? 1f : 0f;
                if (chosen) {
                    any = true;
                    qSum += values[k][i];
                }
            }
            if (!any) {
                continue;
            }
            // each network keeps its own last training forward, so critic k's is still there
            online[k].inputGradient(dOut, dInput);
            int w = obsDim + actionDim;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < actionDim; j++) {
                    dAction[i * actionDim + j] += dInput[i * w + obsDim + j];
                }
            }
        }
        return qSum / rows;
    }

    /** The critic whose Q is the smallest for row {@code i} (the first on ties). */
    private int argmin(int i, int used) {
        int best = 0;
        for (int k = 1; k < used; k++) {
            if (values[k][i] < values[best][i]) {
                best = k;
            }
        }
        return best;
    }

    /** Polyak averaging of every target critic: {@code target = tau·online + (1 − tau)·target}. */
    void softUpdateTargets(double tau) {
        for (int k = 0; k < online.length; k++) {
            target[k].softUpdateFrom(online[k], tau);
        }
    }

    /** Writes each network framed by its length (a network file runs to the end of its stream). */
    static void saveAll(Network[] nets, java.io.DataOutputStream out) throws java.io.IOException {
        for (Network net : nets) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            net.save(bytes);
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
        out.flush();
    }

    /**
     * Reads networks {@link #saveAll} wrote, one per entry of {@code into}, and only once every one was read and
     * fits its counterpart's architecture copies them in: a bad file leaves the agent as it was.
     */
    static void loadInto(Network[] into, java.io.DataInputStream in, int threads) throws java.io.IOException {
        Network[] loaded = new Network[into.length];
        for (int k = 0; k < into.length; k++) {
            int length = in.readInt();
            if (length <= 0 || length > (1 << 30)) {
                throw new java.io.IOException("corrupted model: network " + k + " has length " + length);
            }
            loaded[k] = Network.load(new java.io.ByteArrayInputStream(in.readNBytes(length)), threads);
            if (loaded[k].inputs() != into[k].inputs() || !loaded[k].describe().equals(into[k].describe())
                || loaded[k].precision() != into[k].precision()) {
                throw new java.io.IOException("model does not fit this agent: network " + k + " is "
                    + loaded[k].describe() + ", the agent's is " + into[k].describe());
            }
        }
        for (int k = 0; k < into.length; k++) {
            into[k].copyWeightsFrom(loaded[k]);
        }
    }
}
