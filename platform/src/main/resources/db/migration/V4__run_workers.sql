-- Which cluster member ran each run (issue 12): one row per run dispatched in cluster mode. A worker's
-- writes (metrics, attachments, finish) are accepted only while the run is running, at the attempt it
-- was given, on the worker it was given to: this row plus runs.attempt is that fence.
CREATE TABLE run_workers (
    run_id      BIGINT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    worker      VARCHAR(100) NOT NULL,           -- the member's id (Vert.x node id)
    host        VARCHAR(255) NOT NULL,
    attempt     INT NOT NULL,
    assigned_at BIGINT NOT NULL
);
CREATE INDEX run_workers_worker ON run_workers(worker);
