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
import org.h2.jdbcx.JdbcConnectionPool;

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

    private final JdbcConnectionPool pool;
    private final Connection writer;
    private final int schemaVersion;
    private final WorkerExecutor writes;
    private final WorkerExecutor reads;
    private Runnable onRollback = () -> { };

    private Database(Vertx vertx, JdbcConnectionPool pool) throws SQLException {
        this.pool = pool;
        this.writer = pool.getConnection();
        try (Statement s = writer.createStatement()) {
            // H2 otherwise writes commits to the file up to a second later: a kill -9 would lose
            // runs already reported finished. Each commit is a batch, so this costs little.
            s.execute("SET WRITE_DELAY 0");
        }
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
            return Future.failedFuture(new StoreException("the run store is closed", e));
        }
    }

    private <T> T writeNow(Work<T> work) {
        try {
            T result = work.run(writer);
            writer.commit();
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
     * live data, so it runs only when something was deleted.
     */
    void close(boolean compact) {
        writes.close();
        reads.close();
        if (compact) {
            try (Statement s = writer.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                System.err.println("ludus: compacting the database at close failed (the deleted space stays reusable): "
                        + e.getMessage());
            }
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        pool.dispose();
    }
}
