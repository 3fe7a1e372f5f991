-- Each metric chunk's aggregates in a table of their own (issue 16): H2 reads a row whole, so reading
-- the aggregates from metric_chunks read every chunk's points too. A bucket query reads these rows,
-- takes the aggregates of each chunk whose x range falls inside one bucket, and decodes only the
-- chunks that straddle a bucket edge. One row per metric_chunks row, same key, written and deleted
-- with it; last_wall and last_val are those of the chunk's last point (largest step, the latest
-- logged among equal steps). The rows of chunks stored before this script are computed from their
-- points by the migration (Migrations.AFTER_SCRIPT). The values' aggregates are the IEEE 754 bits of
-- the doubles (Java's Double.doubleToRawLongBits): H2's DOUBLE turns -0.0 into 0.0, and the buckets must
-- equal those computed from the points bit for bit.
CREATE TABLE metric_chunk_stats (
    run_id    BIGINT NOT NULL,
    key_id    INT NOT NULL,
    seq       INT NOT NULL,
    n         INT NOT NULL,
    min_step  BIGINT NOT NULL,
    max_step  BIGINT NOT NULL,
    min_wall  BIGINT NOT NULL,
    max_wall  BIGINT NOT NULL,
    min_val   BIGINT NOT NULL,
    max_val   BIGINT NOT NULL,
    sum_val   BIGINT NOT NULL,
    last_wall BIGINT NOT NULL,
    last_val  BIGINT NOT NULL,
    PRIMARY KEY (run_id, key_id, seq)
);
