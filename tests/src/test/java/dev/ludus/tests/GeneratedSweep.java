package dev.ludus.tests;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.store.H2RunStore;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A finished sweep of many runs written straight into a fresh store's tables in one transaction (a
 * second for 10,000 runs, where running 10,000 trials would take many minutes): lr x gamma x hidden
 * grid over seeds, each run with a final eval/return_mean that depends on its params plus seed noise.
 */
public final class GeneratedSweep {

    private GeneratedSweep() {
    }

    /** Creates the store under {@code config}'s data directory (it must not be running) and returns the sweep's id. */
    public static long create(PlatformConfig config, String name, int runs, long seed) throws SQLException {
        String url = config.effectiveJdbcUrl();
        H2RunStore.open(url).close(); // creates and migrates the schema
        SplittableRandom rng = new SplittableRandom(seed);
        double[] lrs = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
        double[] gammas = {0.9, 0.95, 0.99, 0.995};
        int[] hidden = {32, 64, 128, 256, 512};
        int configs = lrs.length * gammas.length * hidden.length;
        long t0 = 1_763_776_000_000L;
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            long sweepId;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO sweeps (name, kind, definition, task, total, "
                    + "parallelism, created_at) VALUES (?, 'sweep', ?, ?, ?, 4, ?)", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, name);
                p.setString(2, new JsonObject().put("name", name).put("search", new JsonObject().put("method", "grid")).encode());
                p.setString(3, new JsonObject().put("type", "rl").put("env", "CartPole-v1").put("agent", "dqn").encode());
                p.setInt(4, runs);
                p.setLong(5, t0);
                p.executeUpdate();
                try (ResultSet rs = p.getGeneratedKeys()) {
                    rs.next();
                    sweepId = rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, seed, "
                    + "status, summary, provenance, created_at, started_at, finished_at) "
                    + "VALUES (?, ?, 0, ?, ?, ?, 'finished', ?, ?, ?, ?, ?)")) {
                for (int t = 0; t < runs; t++) {
                    int k = t % configs;
                    double lr = lrs[k % lrs.length];
                    double gamma = gammas[(k / lrs.length) % gammas.length];
                    int h = hidden[k / (lrs.length * gammas.length)];
                    int runSeed = t / configs;
                    double score = 500 - 60 * Math.abs(Math.log10(lr) + 3) - 400 * Math.abs(gamma - 0.99)
                            + 20 * Math.log(h / 32.0) + rng.nextDouble(-40, 40);
                    p.setLong(1, sweepId);
                    p.setInt(2, t);
                    p.setString(3, String.format(Locale.ROOT, "lr%s-g%s-h%d-s%d", lr, gamma, h, runSeed));
                    p.setString(4, new JsonObject().put("lr", lr).put("gamma", gamma).put("hidden", h).encode());
                    p.setLong(5, runSeed);
                    p.setString(6, new JsonObject().put("eval/return_mean", Math.round(score * 1000) / 1000.0)
                            .put("train/loss", Math.round(rng.nextDouble(0.01, 1) * 1e4) / 1e4).encode());
                    p.setString(7, new JsonObject().put("generated", "GeneratedSweep").encode());
                    p.setLong(8, t0 + t);
                    p.setLong(9, t0 + t + 10);
                    p.setLong(10, t0 + t + 10 + 60_000);
                    p.addBatch();
                    if (t % 2000 == 1999) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
            return sweepId;
        }
    }
}
