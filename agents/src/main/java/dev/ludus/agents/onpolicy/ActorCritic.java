package dev.ludus.agents.onpolicy;

import dev.ludus.nn.Activation;
import dev.ludus.nn.optim.Gradients;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import dev.ludus.nn.init.Orthogonal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * The policy and value networks of an actor-critic (SB3's {@code ActorCriticPolicy} with its MLP extractor):
 * either a separate actor {@code obs → hidden → policy outputs} and critic {@code obs → hidden → V}, or one shared
 * trunk with both heads as the last layer's outputs {@code [policy outputs, V]}. A Gaussian policy's
 * state-independent log standard deviations live in a third, bias-only network (input 0, so its output is its bias
 * and its weights get no gradient) so that the same optimiser and the same joint gradient clipping cover them.
 *
 * <p>Training is {@link #forward} (training mode) on a minibatch, then {@link #backward} with the loss gradients
 * with respect to the policy outputs and the values, then {@link #step}: the gradients of all networks are clipped
 * to one joint norm and each network's optimiser steps.
 */
final class ActorCritic {
    private static final int FORMAT = 0x4C414331; // "LAC1"

    final ActionDistribution distribution;
    private final int obsDim;
    private final int policyOutputs;
    private final boolean shared;
    private final Network actor;
    private final Network critic;
    private final Network logStd;
    private final Optimizer actorOptimizer;
    private final Optimizer criticOptimizer;
    private final Optimizer logStdOptimizer;
    private final double maxGradNorm;
    /** the Gaussian's current log σ (read by {@link DiagGaussian}), refreshed after each step */
    private final float[] logStdValues;
    private final float[] zero = new float[1];
    // outputs of the last forward / inference, split per head
    final float[] policyOut;
    final float[] valueOut;
    private final float[] sharedGrad;
    private final float[] sharedOut;

    /**
     * @param discreteActions the number of actions of a Discrete space, or 0 for a Box of {@code boxDim} dimensions
     * @param maxRows         most rows one forward holds (the larger of a minibatch and a step of every env)
     */
    ActorCritic(OnPolicyConfig config, int obsDim, int discreteActions, int boxDim, int maxRows, SplittableRandom rng) {
        this.obsDim = obsDim;
        this.shared = config.sharedNetwork();
        this.maxGradNorm = config.maxGradNorm();
        if (discreteActions > 0) {
            logStdValues = null;
            distribution = new Categorical(discreteActions);
        } else {
            logStdValues = new float[boxDim];
            distribution = new DiagGaussian(boxDim, logStdValues);
        }
        policyOutputs = distribution.outputs();
        Activation activation = config.activation() == OnPolicyConfig.Activation.RELU ? Activation.RELU : Activation.TANH;
        int[] hidden = config.hidden();
        actor = mlp(obsDim, hidden, activation, shared ? policyOutputs + 1 : policyOutputs, config, rng);
        critic = shared ? null : mlp(obsDim, hidden, activation, 1, config, rng);
        if (config.orthoInit()) {
            // SB3's ortho_init gains: sqrt(2) for the extractor, 0.01 for the action head, 1 for the value head
            for (int i = 0; i < hidden.length; i++) {
                Orthogonal.init(actor, i, Math.sqrt(2), rng);
                if (critic != null) {
                    Orthogonal.init(critic, i, Math.sqrt(2), rng);
                }
            }
            Orthogonal.init(actor, hidden.length, 0, policyOutputs, 0.01, rng);
            if (shared) {
                Orthogonal.init(actor, hidden.length, policyOutputs, 1, 1.0, rng);
            } else {
                Orthogonal.init(critic, hidden.length, 1.0, rng);
            }
        }
        // log σ starts at 0 (SB3's log_std_init): the bias-only network's biases start at zero
        logStd = logStdValues == null ? null
            : Network.builder(1).seed(rng.nextLong()).init(Init.HE).threads(1).dense(boxDim).build();
        actorOptimizer = Optimizer.of(optimizerConfig(config));
        criticOptimizer = critic == null ? null : Optimizer.of(optimizerConfig(config));
        logStdOptimizer = logStd == null ? null : Optimizer.of(optimizerConfig(config));
        policyOut = new float[maxRows * policyOutputs];
        valueOut = new float[maxRows];
        sharedOut = shared ? new float[maxRows * (policyOutputs + 1)] : null;
        sharedGrad = shared ? new float[maxRows * (policyOutputs + 1)] : null;
        refreshLogStd();
    }

    private static Network mlp(int inputs, int[] hidden, Activation activation, int outputs, OnPolicyConfig config,
                               SplittableRandom rng) {
        // separate networks train side by side (one thread each), a shared one splits its products instead
        int threads = config.sharedNetwork() ? config.threads() : 1;
        Network.Builder b = Network.builder(inputs).seed(rng.nextLong()).init(Init.TORCH).threads(threads);
        for (int width : hidden) {
            b.dense(width, activation);
        }
        return b.dense(outputs).build();
    }

    /** SB3's optimisers: Adam with eps 1e-5 (PPO), or RMSProp with alpha 0.99, eps 1e-5 (A2C); no clipping here. */
    private static OptimizerConfig optimizerConfig(OnPolicyConfig c) {
        OptimizerConfig.Kind kind = c.optimizer().equals("rmsprop") ? OptimizerConfig.Kind.RMSPROP
            : OptimizerConfig.Kind.ADAM;
        return OptimizerConfig.defaults(kind, c.lr()).withEps(1e-5).withRho(0.99);
    }

    int policyOutputs() {
        return policyOutputs;
    }

    /** Inference: policy outputs into {@link #policyOut}, values into {@link #valueOut}. */
    void predict(float[] obs, int rows) {
        if (shared) {
            actor.predict(obs, rows, sharedOut);
            split(sharedOut, rows);
        } else {
            actor.predict(obs, rows, policyOut);
            critic.predict(obs, rows, valueOut);
        }
    }

    /** V(obs) only, into {@link #valueOut}. */
    void predictValues(float[] obs, int rows) {
        if (shared) {
            actor.predict(obs, rows, sharedOut);
            split(sharedOut, rows);
        } else {
            critic.predict(obs, rows, valueOut);
        }
    }

    boolean shared() {
        return shared;
    }

    /**
     * Training-mode forward of the policy part on a minibatch: policy outputs into {@link #policyOut} (with a shared
     * network also the values into {@link #valueOut}).
     */
    void forwardPolicy(float[] obs, int rows) {
        if (shared) {
            split(actor.forwardTrain(obs, rows), rows);
        } else {
            System.arraycopy(actor.forwardTrain(obs, rows), 0, policyOut, 0, rows * policyOutputs);
        }
        if (logStd != null) {
            logStd.forwardTrain(zero, 1);
        }
    }

    /** Training-mode forward of the separate critic: values into {@link #valueOut}. */
    void forwardValue(float[] obs, int rows) {
        System.arraycopy(critic.forwardTrain(obs, rows), 0, valueOut, 0, rows);
    }

    private void split(float[] out, int rows) {
        int width = policyOutputs + 1;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(out, r * width, policyOut, r * policyOutputs, policyOutputs);
            valueOut[r] = out[r * width + policyOutputs];
        }
    }

    /**
     * Back-propagates dLoss/d(policy outputs) of the last {@link #forwardPolicy} (with a shared network, together
     * with dLoss/dV, which is then required).
     */
    void backwardPolicy(float[] dPolicy, float[] dValue, int rows) {
        if (shared) {
            int width = policyOutputs + 1;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(dPolicy, r * policyOutputs, sharedGrad, r * width, policyOutputs);
                sharedGrad[r * width + policyOutputs] = dValue[r];
            }
            actor.backward(sharedGrad);
        } else {
            actor.backward(dPolicy);
        }
        if (logStd != null) {
            DiagGaussian gaussian = (DiagGaussian) distribution;
            logStd.backward(gaussian.logStdGrad);
            java.util.Arrays.fill(gaussian.logStdGrad, 0f);
        }
    }

    /** Back-propagates dLoss/dV of the last {@link #forwardValue} through the separate critic. */
    void backwardValue(float[] dValue) {
        critic.backward(dValue);
    }

    /**
     * Clips the joint gradient norm of every network to max_grad_norm (when > 0) and steps each optimiser; returns
     * the norm before clipping.
     */
    double step() {
        Network[] nets = networks();
        double norm = maxGradNorm > 0 ? Gradients.clipGlobalNorm(maxGradNorm, nets) : Gradients.globalNorm(nets);
        actorOptimizer.step(actor);
        if (critic != null) {
            criticOptimizer.step(critic);
        }
        if (logStd != null) {
            logStdOptimizer.step(logStd);
            refreshLogStd();
        }
        return norm;
    }

    private Network[] networks() {
        if (critic == null) {
            return logStd == null ? new Network[] {actor} : new Network[] {actor, logStd};
        }
        return logStd == null ? new Network[] {actor, critic} : new Network[] {actor, critic, logStd};
    }

    /** Multiplies every optimiser's learning rate by {@code factor} (> 0) from the next step on. */
    void setLrFactor(double factor) {
        actorOptimizer.setLrFactor(factor);
        if (criticOptimizer != null) {
            criticOptimizer.setLrFactor(factor);
        }
        if (logStdOptimizer != null) {
            logStdOptimizer.setLrFactor(factor);
        }
    }

    double currentLr() {
        return actorOptimizer.currentLr();
    }

    private void refreshLogStd() {
        if (logStd != null) {
            logStd.predict(zero, 1, logStdValues);
        }
    }

    /** The Gaussian's log σ (a copy), or null for a categorical policy. */
    float[] logStd() {
        return logStdValues == null ? null : logStdValues.clone();
    }

    Network actor() {
        return actor;
    }

    Network critic() {
        return critic;
    }

    /** Format tag, shape, then each network as a length-prefixed block (a network file reads to its end). */
    void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeInt(obsDim);
        data.writeBoolean(shared);
        data.writeBoolean(logStd != null);
        for (Network net : networks()) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            net.save(bytes);
            data.writeInt(bytes.size());
            bytes.writeTo(data);
        }
        data.flush();
    }

    /** Reads every network first and changes nothing unless all of them fit. */
    void load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus actor-critic model (format tag " + Integer.toHexString(format) + ")");
        }
        int dim = data.readInt();
        boolean wasShared = data.readBoolean();
        boolean gaussian = data.readBoolean();
        if (dim != obsDim || wasShared != shared || gaussian != (logStd != null)) {
            throw new IOException("model (observation size " + dim + ", shared " + wasShared + ", gaussian " + gaussian
                + ") does not fit this agent (observation size " + obsDim + ", shared " + shared + ", gaussian "
                + (logStd != null) + ")");
        }
        Network[] mine = networks();
        Network[] loaded = new Network[mine.length];
        for (int i = 0; i < mine.length; i++) {
            int length = data.readInt();
            if (length < 0 || length > 1 << 30) {
                throw new IOException("corrupted actor-critic model: network block of " + length + " bytes");
            }
            loaded[i] = Network.load(new java.io.ByteArrayInputStream(data.readNBytes(length)), 1);
            if (loaded[i].inputs() != mine[i].inputs() || !loaded[i].describe().equals(mine[i].describe())) {
                throw new IOException("model does not fit this agent: " + loaded[i].describe() + " vs "
                    + mine[i].describe());
            }
        }
        for (int i = 0; i < mine.length; i++) {
            mine[i].copyWeightsFrom(loaded[i]);
        }
        refreshLogStd();
    }
}
