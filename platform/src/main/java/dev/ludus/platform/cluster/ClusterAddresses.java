package dev.ludus.platform.cluster;

/**
 * Event bus addresses of cluster mode (docs/design.md, "Cluster"). Workers talk to the coordinator only
 * through these; trials go to each registered worker's own address, never to a shared one, so a member
 * that did not register with the token is never sent a trial.
 */
public final class ClusterAddresses {
    /** worker → coordinator: {token, worker, host, cores, runners, pid}; replied with the heartbeat terms. */
    public static final String REGISTER = "ludus.cluster.register";
    /** worker → coordinator: {token}; replied with the plug-in jars (name, sha256) and the HTTP URL to fetch them. */
    public static final String PLUGINS = "ludus.cluster.plugins";
    /** worker → coordinator, every second: {worker, running}; replied {known, abandon}. */
    public static final String HEARTBEAT = "ludus.cluster.heartbeat";
    /** worker → coordinator: {worker} on a clean stop; its runs are re-queued at once instead of after the timeout. */
    public static final String LEAVE = "ludus.cluster.leave";
    /** worker → coordinator: a {@code MetricBatch} with headers worker and attempt; replied true if stored. */
    public static final String METRICS = "ludus.cluster.metrics";
    /**
     * worker → coordinator: the run's last {@code MetricBatch} (possibly empty) with headers worker, attempt and end
     * ({status, summary, error} as JSON), stored and ended in one transaction; replied true if the run was ended.
     */
    public static final String FINISH = "ludus.cluster.finish";
    /** worker → coordinator: {runId, worker, attempt, confusion | artifact}; replied true if stored. */
    public static final String ATTACH = "ludus.cluster.attach";
    /** local to the coordinator: the workers page's data. */
    public static final String WORKERS = "ludus.cluster.workers";

    /** coordinator → one worker: an {@link Assignment}, acknowledged on receipt. */
    public static String trials(String worker) {
        return "ludus.worker." + worker + ".trial";
    }

    private ClusterAddresses() {
    }
}
