package dev.ludus.platform;

/** Event bus addresses (docs/design.md section 4). */
public final class Addresses {
    /** scheduler → runner: one trial (JSON: runId, sweepId, task, params, seed). */
    public static final String TRIAL_DISPATCH = "ludus.trial.dispatch";
    /** runner → store: a {@code MetricBatch}; the store replies once it is committed. */
    public static final String METRICS = "ludus.metrics";
    /** runner → store: a run ended (JSON: runId, status, summary, error); replied after commit. */
    public static final String RUN_STATUS = "ludus.run.status";
    /** store → everyone (publish): committed changes (JSON with {@code type} run, sweep or metrics). */
    public static final String EVENTS = "ludus.events";
    /** anyone → store: the other writes (header {@code op}: createSweep, claim, cancel, createRun, ...). */
    public static final String STORE = "ludus.store";
    /** store → runners (publish): run ids to stop (JSON: runIds). */
    public static final String RUN_CANCEL = "ludus.run.cancel";

    private Addresses() {
    }
}
