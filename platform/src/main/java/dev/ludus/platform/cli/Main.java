package dev.ludus.platform.cli;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.query.Exports;
import dev.ludus.platform.query.RunFilter;
import dev.ludus.platform.query.RunValues;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.Page;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.SweepRecord;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code ./ludus} command line: serve, sweep, runs, export. */
@Command(name = "ludus", mixinStandardHelpOptions = true, version = "Ludus 0.1.0-SNAPSHOT",
        description = "Reinforcement learning and experiment tracking for the JVM.",
        subcommands = {Main.Serve.class, Main.Sweep.class, Main.Runs.class, Main.Export.class})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // H2's AUTO_SERVER listener (other processes reading the same DB) stays on this machine
        // unless the user says otherwise; set before any H2 class reads it
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options shared by every command that opens the store. */
    static class StoreOptions {
        @Option(names = "--data", description = "data directory for the embedded H2 database (default: ${DEFAULT-VALUE})",
                defaultValue = "data")
        Path data;

        @Option(names = "--jdbc-url", description = "H2 JDBC URL instead of the embedded file, e.g. jdbc:h2:tcp://host/ludus")
        String jdbcUrl;

        PlatformConfig config() {
            return PlatformConfig.defaults().withDataDir(data).withJdbcUrl(jdbcUrl);
        }
    }

    /** Options of commands that start a server. */
    static class ServerOptions {
        @Option(names = "--host", description = "interface to bind (default: ${DEFAULT-VALUE}); others need the token",
                defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", description = "port (default: ${DEFAULT-VALUE}; 0 = any free port)", defaultValue = "8080")
        int port;

        @Option(names = "--token", description = "API token to require (default: generated when --host is not loopback)")
        String token;

        @Option(names = "--insecure", description = "serve a non-loopback host without a token")
        boolean insecure;

        @Option(names = "--runners", description = "trials run at once (default: the number of cores)")
        Integer runners;

        @Option(names = "--plugins", description = "plug-in jar folder (default: ${DEFAULT-VALUE})", defaultValue = "plugins")
        Path plugins;

        @Option(names = "--experiments", description = "sweep files folder (default: ${DEFAULT-VALUE})",
                defaultValue = "experiments")
        Path experiments;

        PlatformConfig apply(PlatformConfig c) {
            c = c.withHost(host).withPort(port).withToken(token).withInsecure(insecure).withPluginsDir(plugins)
                    .withExperimentsDir(experiments);
            return runners == null ? c : c.withRunners(runners);
        }
    }

    static RunningPlatform start(PlatformConfig config) throws Exception {
        try {
            return Ludus.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.BindException && config.port() != 0) {
                System.err.println("ludus: port " + config.port() + " is in use; using a free port instead");
                return start(config.withPort(0));
            }
            throw new CommandLine.ExecutionException(new CommandLine(new Main()), "cannot start: " + cause.getMessage(), cause);
        }
    }

    static void printStarted(RunningPlatform p, PrintStream out) {
        out.println("Ludus is serving the dashboard at " + p.dashboardUrl());
        if (p.token() != null) {
            out.println("API token (send as 'Authorization: Bearer <token>'): " + p.token());
        }
        p.pluginErrors().forEach(e -> out.println("plug-in skipped: " + e));
    }

    static void closeOnExit(RunningPlatform p, CountDownLatch closed) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                p.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            closed.countDown();
        }));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the API and dashboard until stopped (Ctrl-C).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();
        @CommandLine.Mixin
        ServerOptions server = new ServerOptions();

        @Override
        public Integer call() throws Exception {
            RunningPlatform p = start(server.apply(store.config()));
            printStarted(p, System.out);
            CountDownLatch closed = new CountDownLatch(1);
            closeOnExit(p, closed);
            closed.await();
            return 0;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Run a sweep file with a progress bar, then print the dashboard URL.")
    static final class Sweep implements Callable<Integer> {
        @Parameters(index = "0", description = "the sweep file (JSON), e.g. experiments/frozenlake-q.json")
        Path file;

        @Option(names = "--serve", description = "keep serving the dashboard after the sweep ends")
        boolean serve;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();
        @CommandLine.Mixin
        ServerOptions server = new ServerOptions();

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                System.err.println("ludus: no such sweep file: " + file);
                return 2;
            }
            String body = Files.readString(file, StandardCharsets.UTF_8);
            RunningPlatform p = start(server.apply(store.config()));
            CountDownLatch closed = new CountDownLatch(1);
            closeOnExit(p, closed);
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/sweeps"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (p.token() != null) {
                post.header("Authorization", "Bearer " + p.token());
            }
            HttpResponse<String> created = HttpClient.newHttpClient().send(post.build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                JsonObject error = new JsonObject(created.body());
                System.err.println("ludus: " + file + " rejected: " + error.getString("error"));
                // the API stored nothing for a rejected sweep; close the store in order and say so by the exit code
                p.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                return 2;
            }
            long id = new JsonObject(created.body()).getLong("id");
            SweepRecord s = p.store().getSweep(id).await().orElseThrow();
            System.out.println("Sweep " + id + " '" + s.name() + "': " + s.total() + " runs, parallelism "
                    + s.parallelism() + " (" + p.baseUrl() + ")");
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(s.total())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.out)).build()) {
                while (true) {
                    s = p.store().getSweep(id).await().orElseThrow();
                    var c = s.counts();
                    int done = c.getOrDefault("finished", 0) + c.getOrDefault("failed", 0)
                            + c.getOrDefault("diverged", 0) + c.getOrDefault("cancelled", 0);
                    bar.stepTo(done);
                    bar.setExtraMessage(c.getOrDefault("running", 0) + " running"
                            + (c.getOrDefault("failed", 0) + c.getOrDefault("diverged", 0) > 0
                            ? ", " + (c.getOrDefault("failed", 0) + c.getOrDefault("diverged", 0)) + " failed" : ""));
                    String status = s.status();
                    if (status.equals("finished") || status.equals("cancelled")) {
                        break;
                    }
                    Thread.sleep(250);
                }
            }
            List<RunRecord> runs = p.store().runs(id).await().orElseThrow();
            printRuns(runs, System.out);
            System.out.println("Sweep " + id + " " + s.status() + ": " + s.countsJson().encode());
            System.out.println("Dashboard: " + p.dashboardUrl() + "#/sweeps/" + id
                    + (serve ? "" : "  (served while this command runs with --serve, or by ./ludus serve)"));
            boolean failed = runs.stream().anyMatch(r -> r.status().equals("failed"));
            if (serve) {
                System.out.println("Serving until Ctrl-C.");
                closed.await();
                return 0;
            }
            p.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return failed ? 1 : 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "List sweeps, or the runs of one sweep (filter and sort as in the API).")
    static final class Runs implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "sweep id; without it, list the sweeps")
        Long sweep;

        @Option(names = "--filter", description = "e.g. \"params.lr < 0.01 and summary.eval/return_mean >= 400\"")
        String filter;

        @Option(names = "--sort", description = "field to sort by (default: ${DEFAULT-VALUE})", defaultValue = "id")
        String sort;

        @Option(names = "--desc", description = "sort descending")
        boolean desc;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            try (H2RunStore s = H2RunStore.open(store.config().effectiveJdbcUrl())) {
                if (sweep == null) {
                    System.out.printf("%-5s %-30s %-9s %-10s %6s  %s%n", "id", "name", "kind", "status", "total", "counts");
                    for (SweepRecord r : s.listSweeps().await()) {
                        System.out.printf("%-5d %-30s %-9s %-10s %6d  %s%n", r.id(), clip(r.name(), 30), r.kind(),
                                r.status(), r.total(), r.countsJson().encode());
                    }
                    return 0;
                }
                RunFilter.Expr f = RunFilter.parse(filter);
                Comparator<RunRecord> order = RunValues.comparator(sort, desc);
                var found = s.searchRuns(sweep, r -> f == null || f.test(r), order, Page.ALL).await();
                if (found.isEmpty()) {
                    System.err.println("ludus: sweep " + sweep + " does not exist");
                    return 2;
                }
                printRuns(found.get().runs(), System.out);
                return 0;
            } catch (dev.ludus.platform.BadInput e) {
                System.err.println("ludus: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a sweep's runs, or one run's metrics (--run), as CSV.")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "sweep id (its runs)")
        Long sweep;

        @Option(names = "--run", description = "run id: export its metric points instead")
        Long run;

        @Option(names = {"-o", "--output"}, description = "file to write (default: standard output)")
        Path output;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            if ((sweep == null) == (run == null)) {
                System.err.println("ludus: give a sweep id or --run RUN_ID");
                return 2;
            }
            String csv;
            try (H2RunStore s = H2RunStore.open(store.config().effectiveJdbcUrl())) {
                if (run != null) {
                    if (s.getRun(run).await().isEmpty()) {
                        System.err.println("ludus: run " + run + " does not exist");
                        return 2;
                    }
                    csv = Exports.metricsCsv(Exports.series(s, run, null).await());
                } else {
                    var runs = s.runs(sweep).await();
                    if (runs.isEmpty()) {
                        System.err.println("ludus: sweep " + sweep + " does not exist");
                        return 2;
                    }
                    csv = Exports.runsCsv(runs.get());
                }
            }
            if (output == null) {
                System.out.print(csv);
            } else {
                Files.writeString(output, csv, StandardCharsets.UTF_8);
                System.err.println("wrote " + output);
            }
            return 0;
        }
    }

    static void printRuns(List<RunRecord> runs, PrintStream out) {
        List<String> summaryKeys = new ArrayList<>(new java.util.TreeSet<>(runs.stream()
                .filter(r -> r.summary() != null).flatMap(r -> r.summary().fieldNames().stream()).toList()));
        List<String> shown = summaryKeys.stream().filter(k -> k.startsWith("eval/") || k.startsWith("test/")).toList();
        if (shown.isEmpty()) {
            shown = summaryKeys.stream().limit(3).toList();
        }
        // only the params that differ between runs say anything
        List<String> all = runs.stream().flatMap(r -> r.params().fieldNames().stream()).distinct().sorted().toList();
        List<String> differing = all.stream()
                .filter(k -> runs.stream().map(r -> String.valueOf(r.params().getValue(k))).distinct().count() > 1).toList();
        List<String> varying = differing.isEmpty() ? all : differing;
        StringBuilder header = new StringBuilder(String.format("%-5s %-11s %5s  %-40s", "id", "status", "seed", "params"));
        for (String k : shown) {
            header.append(String.format(" %18s", clip(k, 18)));
        }
        out.println(header);
        for (RunRecord r : runs) {
            StringBuilder line = new StringBuilder(String.format("%-5d %-11s %5d  %-40s", r.id(), r.status(), r.seed(),
                    clip(varying.stream().map(k -> k + "=" + r.params().getValue(k))
                            .collect(java.util.stream.Collectors.joining(" ")), 40)));
            for (String k : shown) {
                Object v = r.summary() == null ? null : r.summary().getValue(k);
                line.append(String.format(" %18s", v instanceof Number n ? String.format("%.4g", n.doubleValue()) : "-"));
            }
            if (r.error() != null && !r.status().equals("finished")) {
                line.append("  ").append(clip(r.error(), 60));
            }
            out.println(line);
        }
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
