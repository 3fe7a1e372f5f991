package dev.ludus.platform.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * The H2 database behind the run store and the run queue. Every write is one transaction on the one
 * writing connection, run by a worker pool of one thread: that thread is the single writer, and
 * writes commit in the order they were submitted. Reads borrow pooled connections on a small worker
 * pool and run concurrently. Callers get Futures, so JDBC never runs on an event loop.
 */
final class Database implements AutoCloseable {

    /** Work on a connection; a write's work runs inside its transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int READERS = 4;

    /**
     * H2 (MVStore) writes each commit as a new chunk holding copies of the B-tree pages it changed, about
     * 25 KB for a one-row commit; the old copies stay in older chunks. A script logging tiny batches
     * leaves most chunks nearly empty but alive (one page in them still live), and H2's own background
     * compaction backs off while commits keep coming: the 2.6 KB per point. So the writer
     * itself rewrites the live pages of sparse chunks after every {@value #COMMITS_PER_COMPACTION}
     * commits, while chunks are less than {@value #TARGET_CHUNK_FILL_PERCENT}% live (at most
     * {@value #COMPACTION_WRITE_BYTES} bytes or 1/32 of the file a time: about a millisecond for tiny commits).
     */
    private static final int COMMITS_PER_COMPACTION = 32;
    private static final int TARGET_CHUNK_FILL_PERCENT = 80;
    private static final int COMPACTION_WRITE_BYTES = 1 << 20;
    /**
     * The file itself is kept at least this full by moving chunks from its end into the holes the
     * rewrites left, {@value #MOVE_BYTES} bytes at most a time, so it can shrink. H2's background thread
     * does both (the same calls), but {@code WRITE_DELAY 0} (a commit written per transaction) stops
     * that thread, and its close-time compaction moves chunks only after it rewrote some.
     */
    private static final int TARGET_FILE_FILL_PERCENT = 70;
    private static final int MOVE_BYTES = 4 << 20;
    /** At close, up to this much is moved into holes (about a second at disk speed). */
    private static final long CLOSE_MOVE_BYTES = 256L << 20;
    /** A file up to this size is rewritten whole at close ({@code SHUTDOWN COMPACT}); a bigger one compacted in place. */
    private static final long SHUTDOWN_COMPACT_BYTES = 64L << 20;
    /** At close, sparse chunks are rewritten for up to this long first. */
    private static final long CLOSE_COMPACT_NANOS = 3_000_000_000L;

    private final JdbcConnectionPool pool;
    private final Connection writer;
    private final int schemaVersion;
    private final WorkerExecutor writes;
    private final WorkerExecutor reads;
    private final MVStore mvStore; // null when the database is another process's (a tcp:// URL): it compacts its own
    private Runnable onRollback = () -> { };
    private int commitsSinceCompaction;

    private Database(Vertx vertx, JdbcConnectionPool pool) throws SQLException {
        this.pool = pool;
        this.writer = pool.getConnection();
        try (Statement s = writer.createStatement()) {
            // H2 otherwise writes commits to the file up to a second later: a kill -9 would lose
            // runs already reported finished. Each commit is a batch, so this costs little.
            s.execute("SET WRITE_DELAY 0");
            // Free chunks are reused at once instead of after 45 s: at a few hundred commits a second the
            // file otherwise keeps 45 s of superseded chunks (hundreds of MB). The pages a commit
            // supersedes are in the OS's cache by then, so a killed process loses nothing; only a power
            // cut within the kernel's write-back delay could (H2's RETENTION_TIME documentation).
            s.execute("SET RETENTION_TIME 0");
            // run params, summaries and provenance (300-600 characters) stay in their row instead of
            // the LOB map, where each costs another B-tree entry and page
            s.execute("SET MAX_LENGTH_INPLACE_LOB 4096");
        }
        this.mvStore = writer.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local
                ? local.getDatabase().getStore().getMvStore() : null;
        this.schemaVersion = Migrations.migrate(writer);
        writer.setAutoCommit(false);
        // a big sweep or a 100k-point batch may take seconds: no blocked-thread warnings for them
        this.writes = vertx.createSharedWorkerExecutor("ludus-store-writer-" + System.identityHashCode(this), 1,
                10, TimeUnit.MINUTES);
        this.reads = vertx.createSharedWorkerExecutor("ludus-store-reader-" + System.identityHashCode(this), READERS,
                10, TimeUnit.MINUTES);
    }

    /** Opens (creating and migrating if needed) the database at {@code jdbcUrl}. Blocks: not on an event loop. */
    static Database open(Vertx vertx, String jdbcUrl) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
        pool.setMaxConnections(READERS + 4);
        try {
            return new Database(vertx, pool);
        } catch (SQLException e) {
            pool.dispose();
            throw new StoreException("cannot open the run store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    int schemaVersion() {
        return schemaVersion;
    }

    /** What the writer's caches must forget when a transaction rolls back (ids taken in it are free again). */
    void onRollback(Runnable forget) {
        this.onRollback = forget;
    }

    /**
     * One transaction on the single writer: committed if {@code work} returns, rolled back if it throws.
     * {@code committed} runs on the writer thread right after the commit, so what it publishes is in
     * commit order.
     */
    <T> Future<T> write(Work<T> work, Consumer<T> committed) {
        return submit(writes, () -> {
            T result = writeNow(work);
            try {
                committed.accept(result);
            } catch (RuntimeException e) { // the write stands; only telling others about it failed
                System.err.println("ludus: publishing a committed change failed: " + e);
            }
            return result;
        });
    }

    <T> Future<T> write(Work<T> work) {
        return write(work, r -> { });
    }

    /** Work on the writer connection before the store is shared (at start-up, on the opening thread). */
    <T> T atOpen(Work<T> work) throws SQLException {
        T result = work.run(writer);
        writer.commit();
        return result;
    }

    <T> Future<T> read(Work<T> work) {
        return submit(reads, () -> readNow(work));
    }

    /** A call after the platform closed (a late timer, a request in flight) fails its Future instead of throwing. */
    private static <T> Future<T> submit(WorkerExecutor executor, Callable<T> task) {
        try {
            return executor.executeBlocking(task, false);
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(StoreException.closed(e));
        }
    }

    private <T> T writeNow(Work<T> work) {
        try {
            T result = work.run(writer);
            writer.commit();
            compactNowAndThen();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            onRollback.run();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** On the writer thread after a commit (see {@link #COMMITS_PER_COMPACTION}). */
    private void compactNowAndThen() {
        if (mvStore == null || ++commitsSinceCompaction < COMMITS_PER_COMPACTION) {
            return;
        }
        commitsSinceCompaction = 0;
        try {
            // big batches write megabytes per commit (a 16,384-point chunk is 393 KB, and the leaf it joins is
            // written again when it splits): the rewrite budget grows with the file so compaction keeps up
            int budget = (int) Math.min(Integer.MAX_VALUE, Math.max(COMPACTION_WRITE_BYTES, mvStore.getFileStore().size() / 32));
            mvStore.compact(TARGET_CHUNK_FILL_PERCENT, budget);
            // rewritten pages leave holes in the file; chunks near its end move into them, so it shrinks
            if (mvStore.getFillRate() < TARGET_FILE_FILL_PERCENT
                    && mvStore.getFileStore() instanceof RandomAccessStore file) {
                file.compactMoveChunks(TARGET_FILE_FILL_PERCENT, MOVE_BYTES, mvStore);
            }
        } catch (RuntimeException e) { // the commit stands; a failed compaction only leaves the file bigger
            System.err.println("ludus: compacting the store failed: " + e);
        }
    }

    private <T> T readNow(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes the database; with {@code compact}, first rewrites the file without the space deleted rows left
     * (H2's {@code SHUTDOWN COMPACT}): MVStore reuses freed pages for new data but never shrinks its file by
     * itself, so after a delete this is what gives the disk space back. It takes about as long as copying the
     * live data: without a delete a file up to {@code SHUTDOWN_COMPACT_BYTES} is still rewritten whole, a bigger one
     * gets a time-bounded compaction of its sparse chunks.
     */
    void close(boolean compact) {
        boolean shutDown = false;
        writes.close();
        reads.close();
        boolean open = mvStore != null && !mvStore.isClosed();
        if (compact || (open && mvStore.getFileStore().size() <= SHUTDOWN_COMPACT_BYTES)) {
            // after a delete (the space comes back only this way), or a small file: rewritten whole (live pages
            // only, compressed); a small file takes well under a second
            try (Statement s = writer.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
                shutDown = true;
            } catch (SQLException e) {
                System.err.println("ludus: compacting the store at close failed: " + e.getMessage());
            }
        } else if (open && mvStore.getFileStore() instanceof RandomAccessStore file) {
            try {
                long end = System.nanoTime() + CLOSE_COMPACT_NANOS;
                while (mvStore.compact(TARGET_CHUNK_FILL_PERCENT, (int) Math.min(CLOSE_MOVE_BYTES, file.size()))
                        && System.nanoTime() < end) {
                    // rewrite sparse chunks until they are mostly live (or time is up)
                }
                file.compactMoveChunks(100, CLOSE_MOVE_BYTES, mvStore);
            } catch (RuntimeException e) {
                System.err.println("ludus: compacting the store at close failed: " + e);
            }
        }
        try {
            if (!shutDown) { // after SHUTDOWN its rollback fails, and H2 writes that to a ludus.trace.db beside the store
                writer.close();
            }
        } catch (SQLException ignored) {
            // closing anyway
        }
        pool.dispose();
    }
}
