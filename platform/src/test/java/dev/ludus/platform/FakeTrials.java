package dev.ludus.platform;

import dev.ludus.run.RunOutcome;
import java.util.Map;

/**
 * Test-only trials: deterministic metric curves from params and seed, so results can be checked
 * exactly. The validator mimics the real one's field naming (params.lr must be > 0, task.env known).
 */
final class FakeTrials {
    private FakeTrials() {
    }

    static final TrialExecutor.Validator VALIDATOR = (task, params) -> {
        Object env = task.get("env");
        if (env != null && !env.equals("Fake-v0")) {
            throw new IllegalArgumentException("task.env: unknown env '" + env + "'; known envs: Fake-v0");
        }
        for (String k : params.keySet()) {
            if (!k.equals("lr") && !k.equals("gamma") && !k.equals("layers") && !k.equals("sleep_ms")
                    && !k.equals("points")) {
                throw new IllegalArgumentException("params." + k + ": unknown parameter; known: lr, gamma, layers, sleep_ms, points");
            }
        }
        if (params.get("lr") instanceof Number n && n.doubleValue() <= 0) {
            throw new IllegalArgumentException("params.lr: must be > 0, got " + n);
        }
        if (params.containsKey("lr") && !(params.get("lr") instanceof Number)) {
            throw new IllegalArgumentException("params.lr: must be a number, got " + params.get("lr"));
        }
    };

    /** The value of the fake curve at {@code step}. */
    static double curve(double lr, long seed, long step) {
        return lr * 1000 + seed + Math.sin(step * 0.1) * 10 + step * 0.01;
    }

    /** Emits {@code points} (default 500) points of episode/return and train/loss; sleeps {@code sleep_ms} in total. */
    static TrialExecutor executor() {
        return TrialExecutor.of(VALIDATOR, (spec, listener) -> {
            Map<String, Object> p = spec.params();
            double lr = ((Number) p.getOrDefault("lr", 0.1)).doubleValue();
            int points = ((Number) p.getOrDefault("points", 500)).intValue();
            long sleep = ((Number) p.getOrDefault("sleep_ms", 0)).longValue();
            for (int step = 0; step < points; step++) {
                if (listener.cancelled()) {
                    return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of(), "cancelled at step " + step);
                }
                listener.metric("episode/return", step, curve(lr, spec.seed(), step));
                listener.metric("train/loss", step, 1.0 / (step + 1));
                if (sleep > 0 && step % Math.max(1, points / 20) == 0) {
                    try {
                        Thread.sleep(Math.max(1, sleep / 20));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of(), "interrupted");
                    }
                }
            }
            if (lr >= 100) {
                throw new IllegalStateException("lr too large to train");
            }
            if (lr >= 10) {
                return new RunOutcome(RunOutcome.Status.DIVERGED, Map.of(), "diverged at step 3: loss is NaN");
            }
            return RunOutcome.finished(Map.of("eval/return_mean", curve(lr, spec.seed(), points - 1)));
        });
    }
}
