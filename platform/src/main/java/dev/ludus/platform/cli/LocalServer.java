package dev.ludus.platform.cli;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.platform.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server this command starts ({@code serve}, or {@code sweep} with no server on its data directory):
 * checked to be the only one on its data directory, database and port before it starts, published in
 * the server file while it serves, and stopped in order on exit or Ctrl-C (file removed first, then
 * the store closed). One server per data directory is enforced by an OS lock on {@code server.lock},
 * held for the process's life and released by the OS however it ends, so it never goes stale.
 */
final class LocalServer {
    static final String LOCK = "server.lock";

    private final PlatformConfig config;
    private final FileLock dataDirLock;
    private final RunningPlatform platform;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread stopOnExit;

    private LocalServer(PlatformConfig config, FileLock dataDirLock, RunningPlatform platform) {
        this.config = config;
        this.dataDirLock = dataDirLock;
        this.platform = platform;
        this.stopOnExit = new Thread(this::stop, "ludus-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts a server, after checking that the database is free and the port can be bound.
     *
     * @param unanswering a server file whose process lives but does not answer (named if it holds the database)
     */
    static LocalServer start(PlatformConfig config, ServerFile.Info unanswering, PrintStream err) {
        return start(config, null, unanswering, err);
    }

    /** @param cluster coordinator settings ({@code --cluster-port}), or null for a standalone server */
    static LocalServer start(PlatformConfig config, CoordinatorSettings cluster, ServerFile.Info unanswering,
                             PrintStream err) {
        checkPortFree(config); // first: a busy port leaves no trace in the data directory
        if (cluster != null) {
            checkClusterPortFree(cluster);
        }
        FileLock lock = lockDataDir(config.dataDir());
        RunningPlatform p;
        try {
            DatabaseLock.checkFree(config, unanswering);
            p = Ludus.start(config, cluster).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            release(lock);
            throw startFailure(config, e.getCause());
        } catch (TimeoutException e) {
            release(lock);
            throw new CliError(ExitCodes.SERVER, "the server did not start within 120 s");
        } catch (InterruptedException e) {
            release(lock);
            Thread.currentThread().interrupt();
            throw new CliError(ExitCodes.SERVER, "interrupted while starting the server");
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
        LocalServer server = new LocalServer(config, lock, p);
        try {
            ServerFile.write(config.dataDir(), new ServerFile.Info(p.baseUrl(), p.token(), ProcessHandle.current().pid(),
                    config.effectiveJdbcUrl(), System.currentTimeMillis()));
        } catch (IOException e) {
            err.println("ludus: cannot write " + ServerFile.path(config.dataDir()) + " (" + e.getMessage()
                    + "): other ./ludus commands will not find this server");
        }
        return server;
    }

    /** Thrown when another process holds the data directory's server lock: a server starting or serving there. */
    static final class DataDirBusy extends CliError {
        DataDirBusy(Path dataDir) {
            super("another Ludus server is starting or serving on " + dataDir + " (it holds " + dataDir.resolve(LOCK)
                    + "); use it, stop it, or give another --data");
        }
    }

    private static FileLock lockDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataDirBusy(dataDir);
            }
            return lock;
        } catch (IOException e) {
            throw new CliError("--data " + dataDir + ": cannot use it (" + e.getMessage() + ")");
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close(); // releases the lock
        } catch (IOException ignored) {
            // the OS releases it at exit anyway
        }
    }

    /** Fails with the message a user needs when the port is taken or the host is not this machine's. */
    private static void checkPortFree(PlatformConfig config) {
        if (config.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the HTTP server binds: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            throw startFailure(config, e);
        }
    }

    private static void checkClusterPortFree(CoordinatorSettings cluster) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(cluster.host(), cluster.port()));
        } catch (IOException e) {
            throw new CliError("cannot listen on --cluster-host " + cluster.host() + " --cluster-port " + cluster.port()
                    + ": " + e.getMessage());
        }
    }

    private static CliError startFailure(PlatformConfig config, Throwable cause) {
        if (cause instanceof IllegalArgumentException) {
            return new CliError(cause.getMessage()); // an option the start refused, named in the message
        }
        if (cause instanceof BindException && String.valueOf(cause.getMessage()).contains("in use")) {
            return portInUse(config.port());
        }
        if (cause instanceof BindException || cause instanceof UnknownHostException) {
            return new CliError("cannot listen on --host " + config.host() + " --port " + config.port() + ": " + cause.getMessage());
        }
        if (cause instanceof StoreException) {
            return new CliError(cause.getMessage());
        }
        return new CliError(ExitCodes.SERVER, "the server could not start: " + cause);
    }

    static CliError portInUse(int port) {
        return new CliError("port " + port + " is in use (another ludus serve?); use --port N");
    }

    RunningPlatform platform() {
        return platform;
    }

    ServerClient client() {
        return new ServerClient(platform.baseUrl(), platform.token());
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM) and the server has stopped. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops now (the end of a sweep without --serve). */
    void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook is stopping it
        }
        stop();
    }

    private void stop() {
        ServerFile.removeIfOurs(config.dataDir(), ProcessHandle.current().pid());
        try {
            platform.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("ludus: the server did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release(dataDirLock);
            stopped.countDown();
        }
    }
}
