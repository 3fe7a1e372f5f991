package dev.ludus.agents.onpolicy;

import dev.ludus.agents.Metrics;

/**
 * What PPO and recurrent PPO share around their minibatch updates: the schedules of one training phase, the
 * shuffle of what the minibatches take, the sums of the minibatch losses into the phase's
 * {@link OnPolicy.TrainStats}, and how those are reported as training metrics.
 */
final class TrainingTally {
    private double policy;
    private double value;
    private double entropy;
    private double approxKl;
    private double clipFraction;
    private double gradNorm;
    private double lastLoss = Double.NaN;
    private int updates;

    /** {@code value} at this point of training: × the remaining progress when linear, else as it is. */
    static double scheduled(double value, OnPolicyConfig.ScheduleKind kind, double progressRemaining) {
        return value * (kind == OnPolicyConfig.ScheduleKind.LINEAR ? progressRemaining : 1.0);
    }

    /** The phase that would train at a learning rate <= 0 (the rollout overshooting the budget): nothing learnt. */
    static OnPolicy.TrainStats skipped(double explainedVariance, double clipRange) {
        return new OnPolicy.TrainStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, explainedVariance,
            Double.NaN, 0.0, clipRange, Double.NaN);
    }

    /** Fisher-Yates with the learner's random stream. */
    static void shuffle(int[] a, java.util.random.RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Adds one minibatch update; returns false when its loss was not finite (the phase stops there). */
    boolean add(OnPolicy.MinibatchLoss l) {
        policy += l.policy();
        value += l.value();
        entropy += l.entropy();
        approxKl += l.approxKl();
        clipFraction += l.clipFraction();
        lastLoss = l.total();
        gradNorm += l.gradNorm();
        updates++;
        return Double.isFinite(l.total());
    }

    /** The stats of a phase stopped at the non-finite minibatch {@code l}: that minibatch's values. */
    OnPolicy.TrainStats diverged(OnPolicy.MinibatchLoss l, double explainedVariance, double lr, double clipRange) {
        return new OnPolicy.TrainStats(updates, l.policy(), l.value(), l.entropy(), l.approxKl(), l.clipFraction(),
            explainedVariance, l.total(), lr, clipRange, l.gradNorm());
    }

    /** Means over the phase's updates; with {@code ppo} false (A2C) the PPO-only values are NaN. */
    OnPolicy.TrainStats mean(double explainedVariance, double lr, double clipRange, boolean ppo) {
        return new OnPolicy.TrainStats(updates, policy / updates, value / updates, entropy / updates,
            ppo ? approxKl / updates : Double.NaN, ppo ? clipFraction / updates : Double.NaN, explainedVariance,
            lastLoss, lr, ppo ? clipRange : Double.NaN, gradNorm / updates);
    }

    /** Reports a phase's stats (nothing when it made no update); NaN-valued ones (not applicable) are left out. */
    static void report(OnPolicy.TrainStats stats, Metrics metrics) {
        if (stats == null || stats.updates() == 0) {
            return;
        }
        metrics.updates(stats.updates());
        metrics.mean("train/loss", stats.loss());
        metrics.mean("train/policy_loss", stats.policyLoss());
        metrics.mean("train/value_loss", stats.valueLoss());
        metrics.mean("train/entropy", stats.entropy());
        if (!Double.isNaN(stats.approxKl())) {
            metrics.mean("train/approx_kl", stats.approxKl());
            metrics.mean("train/clip_fraction", stats.clipFraction());
            metrics.last("train/clip_range", stats.clipRange());
        }
        if (Double.isFinite(stats.explainedVariance())) {
            // undefined (NaN) when every return of the rollout is the same
            metrics.mean("train/explained_variance", stats.explainedVariance());
        }
        metrics.last("train/lr", stats.lr());
    }
}
