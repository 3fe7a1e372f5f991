package dev.ludus.agents.offpolicy;

import dev.ludus.nn.Activation;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
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
    /** two critics and two threads: each critic's work runs on its own thread ({@link SideBySide}) */
    private final boolean sideBySide;
    // scratch per critic, allocated once
    private final float[][] values;
    private final float[][] dOut;
    private final float[][] dInput;
    private final double[] losses;
    private final double[] qSums;

    /**
     * With {@code threads} >= 2 and two critics, each critic's products run on one thread and the two critics side by
     * side; otherwise the products use {@code threads}.
     */
    Critics(int count, int obsDim, int actionDim, int[] hidden, Init init, double lr, int threads, int batchSize,
            SplittableRandom rng) {
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        this.batchSize = batchSize;
        this.sideBySide = count == 2 && threads >= 2;
        int productThreads = sideBySide ? 1 : threads;
        online = new Network[count];
        target = new Network[count];
        optimizers = new Optimizer[count];
        values = new float[count][batchSize];
        dOut = new float[count][batchSize];
        dInput = new float[count][batchSize * (obsDim + actionDim)];
        losses = new double[count];
        qSums = new double[count];
        for (int k = 0; k < count; k++) {
            online[k] = mlp(obsDim + actionDim, hidden, 1, Activation.IDENTITY, init, productThreads, rng.nextLong());
            target[k] = online[k].copy();
            optimizers[k] = Optimizer.adam(lr);
        }
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

    /** Runs {@code work(k)} for every critic k, the two side by side when {@link #sideBySide}. */
    private void each(java.util.function.IntConsumer work) {
        if (sideBySide) {
            SideBySide.run(() -> work.accept(0), () -> work.accept(1));
        } else {
            for (int k = 0; k < online.length; k++) {
                work.accept(k);
            }
        }
    }

    /** {@code out[i] = min_k Q_target_k(row i)} for {@code rows} rows of {@code [s', a']}. */
    void minTarget(float[] observationActions, int rows, float[] out) {
        each(k -> target[k].predict(observationActions, rows, values[k]));
        for (int i = 0; i < rows; i++) {
            float v = values[0][i];
            for (int k = 1; k < target.length; k++) {
                v = Math.min(v, values[k][i]);
            }
            out[i] = v;
        }
    }

    /**
     * One Adam step of every critic on {@code weight · Σ_k mean_i (Q_k(s_i, a_i) − y_i)²}; returns that loss
     * (SB3: weight 0.5 for SAC, 1 for TD3; NaN when not finite, and nothing is applied then). {@code qMean[0]}
     * receives the mean of Q_1 over the batch.
     */
    double train(float[] observationActions, float[] y, double weight, double[] qMean) {
        int rows = batchSize;
        each(k -> {
            float[] q = online[k].forwardTrain(observationActions, rows);
            double sum = 0;
            double qSum = 0;
            for (int i = 0; i < rows; i++) {
                double delta = q[i] - y[i];
                sum += delta * delta;
                qSum += q[i];
                dOut[k][i] = (float) (weight * 2 * delta / rows);
            }
            losses[k] = weight * sum / rows;
            qSums[k] = qSum;
            if (Double.isFinite(sum)) {
                online[k].backward(dOut[k]);
                optimizers[k].step(online[k]);
            }
        });
        qMean[0] = qSums[0] / rows;
        double loss = 0;
        for (double l : losses) {
            loss += l;
        }
        return Double.isFinite(loss) ? loss : Double.NaN;
    }

    /**
     * The gradient with respect to each row's action of {@code Σ_i Q(s_i, a_i)}, where Q is the minimum over the
     * critics ({@code min = true}, SAC) or the first critic (TD3, DDPG), into {@code dAction} ({@code rows x
     * actionDim}). Returns the mean of that Q over the rows. Parameter gradients are not computed.
     */
    double actionGradient(float[] observationActions, boolean min, float[] dAction) {
        int rows = batchSize;
        int used = min ? online.length : 1;
        if (used == 2) {
            each(k -> System.arraycopy(online[k].forwardTrain(observationActions, rows), 0, values[k], 0, rows));
        } else {
            System.arraycopy(online[0].forwardTrain(observationActions, rows), 0, values[0], 0, rows);
        }
        double qSum = 0;
        boolean[] any = new boolean[used];
        for (int i = 0; i < rows; i++) {
            int chosen = argmin(i, used);
            for (int k = 0; k < used; k++) {
                dOut[k][i] = k == chosen ? 1f : 0f;
            }
            any[chosen] = true;
            qSum += values[chosen][i];
        }
        // each network keeps its own last training forward
        if (used == 2) {
            each(k -> {
                if (any[k]) {
                    online[k].inputGradient(dOut[k], dInput[k]);
                }
            });
        } else {
            online[0].inputGradient(dOut[0], dInput[0]);
        }
        java.util.Arrays.fill(dAction, 0, rows * actionDim, 0f);
        int w = obsDim + actionDim;
        for (int k = 0; k < used; k++) {
            if (!any[k]) {
                continue;
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < actionDim; j++) {
                    dAction[i * actionDim + j] += dInput[k][i * w + obsDim + j];
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
            if (loaded[k].inputs() != into[k].inputs() || !loaded[k].describe().equals(into[k].describe())) {
                throw new java.io.IOException("model does not fit this agent: network " + k + " is "
                    + loaded[k].describe() + ", the agent's is " + into[k].describe());
            }
        }
        for (int k = 0; k < into.length; k++) {
            into[k].copyWeightsFrom(loaded[k]);
        }
    }
}
