package dev.ludus.nn.optim;

import dev.ludus.nn.Network;
import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.layer.Param;

/**
 * Operations on the gradients {@link Network#backward} left in one or several networks, for algorithms whose
 * parameters span networks (an actor and a critic trained by one loss): PyTorch's
 * {@code clip_grad_norm_(actor.parameters() + critic.parameters(), max_norm)}. Step each network's optimiser
 * afterwards with clipping by norm off, so the clip is the joint one.
 */
public final class Gradients {

    private Gradients() {
    }

    /** The L2 norm of all parameter gradients of {@code nets} together. */
    public static double globalNorm(Network... nets) {
        double sq = 0;
        for (Network net : nets) {
            for (Param p : net.layerStack().params()) {
                sq += ElementOps.sumSquares(p.grad);
            }
        }
        return Math.sqrt(sq);
    }

    /**
     * Scales every gradient of {@code nets} by {@code maxNorm / (norm + 1e-6)} when their joint norm exceeds
     * {@code maxNorm} (PyTorch's formula); returns the norm before clipping (NaN or infinite gradients are left
     * as they are for the optimiser to report).
     */
    public static double clipGlobalNorm(double maxNorm, Network... nets) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(nets);
        if (norm > maxNorm && Double.isFinite(norm)) {
            double scale = maxNorm / (norm + 1e-6);
            for (Network net : nets) {
                scale(net, scale);
            }
        }
        return norm;
    }

    private static void scale(Network net, double scale) {
        float s = (float) scale;
        for (Param p : net.layerStack().params()) {
            float[] g = p.grad;
            for (int i = 0; i < g.length; i++) {
                g[i] *= s;
            }
        }
    }
}
