package dev.ludus.platform;

/** Event bus addresses (docs/design.md section 4). Everything else goes through {@code RunStore} calls. */
public final class Addresses {
    /** scheduler → runner: one claimed {@code Trial} (codec {@code ludus-trial}). */
    public static final String TRIAL_DISPATCH = "ludus.trial.dispatch";
    /** runner → store: a {@code MetricBatch}; the store replies once it is committed. */
    public static final String METRICS = "ludus.metrics";
    /** store → everyone (publish): committed changes (JSON with {@code type} run, sweep or metrics). */
    public static final String EVENTS = "ludus.events";
    /** store → runners (publish): run ids to stop (JSON: runIds). */
    public static final String RUN_CANCEL = "ludus.run.cancel";
    /** pruner → runners (publish): stop a run and end it {@code pruned} (JSON: runId, reason). */
    public static final String RUN_PRUNE = "ludus.run.prune";

    private Addresses() {
    }
}
