package dev.ludus.platform.cli;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.Catalog;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import dev.ludus.platform.ServerPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code ./ludus} command line: serve, sweep, runs, best, export. A server publishes where it listens in
 * its data directory ({@link ServerFile}); the other commands on that directory then go through it
 * (submit the sweep and follow its live stream, read runs through the API) instead of starting a
 * second server or opening the database. Exit codes: {@link ExitCodes}; errors are one line, never a
 * stack trace ({@link CliError}).
 */
@Command(name = "ludus", mixinStandardHelpOptions = true, version = "Ludus 0.1.0-SNAPSHOT",
        description = "Reinforcement learning and experiment tracking for the JVM.",
        subcommands = {Main.Serve.class, Main.Sweep.class, Main.Runs.class, Main.Best.class, Main.Export.class,
            ManageCommands.Tag.class, ManageCommands.Note.class, ManageCommands.Rename.class, ManageCommands.Star.class,
            ManageCommands.Archive.class, ManageCommands.Delete.class, ManageCommands.Cancel.class, ManageCommands.AddSeeds.class,
            ModelCommands.Eval.class, ModelCommands.Rerun.class,
            WorkerCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (sweep: no run failed)", "1:sweep: at least one run failed",
            "2:a user error (bad option or sweep file, port or database in use, unknown id, unwritable output)",
            "3:the server stopped answering, or an internal error (LUDUS_DEBUG=1 prints its stack trace)"})
public final class Main implements Callable<Integer> {

    /** Set once the JVM is exiting (Ctrl-C): what fails after that is the shutdown, not worth a message. */
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exiting = true));
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // H2's AUTO_SERVER listener (other processes reading the same DB) stays on this machine
        // unless the user says otherwise; set before any H2 class reads it
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a {@link CliError} is one line on stderr and its exit code. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (exiting) {
                        return 130; // stopped by a signal (the server went with it): the hooks said what happens next
                    }
                    if (e instanceof CliError c) {
                        System.err.println("ludus: " + c.getMessage());
                        return c.exitCode();
                    }
                    System.err.println("ludus: unexpected error: " + e + " (a bug; LUDUS_DEBUG=1 prints the stack trace)");
                    if (System.getenv("LUDUS_DEBUG") != null) {
                        e.printStackTrace();
                    }
                    return ExitCodes.SERVER;
                });
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options shared by every command that uses a data directory. */
    static class StoreOptions {
        @Option(names = "--data", description = "data directory: the embedded H2 database and server.json (default: ${DEFAULT-VALUE})",
                defaultValue = "data")
        Path data;

        @Option(names = "--jdbc-url", description = "H2 JDBC URL instead of the embedded file, e.g. jdbc:h2:tcp://host/ludus")
        String jdbcUrl;

        PlatformConfig config() {
            return PlatformConfig.defaults().withDataDir(data).withJdbcUrl(jdbcUrl);
        }

        /** The server serving this data directory and database, if one answers (says which on stderr). */
        ServerFile.Lookup lookup() {
            ServerFile.Lookup found = ServerFile.lookup(data, config().effectiveJdbcUrl(), System.err);
            if (found.live() != null) {
                System.err.println("ludus: attached to the server at " + found.info().url() + " (pid " + found.info().pid()
                        + ", from " + ServerFile.path(data) + ")");
            }
            return found;
        }
    }

    /** Options of commands that start a server. */
    static class ServerOptions {
        static final List<String> NAMES = List.of("--host", "--port", "--token", "--insecure", "--runners", "--cpus", "--plugins",
                "--experiments", "--datasets", "--allowed-host", "--cors-origin", "--max-artifact-size");

        @Option(names = "--host", description = "interface to bind (default: ${DEFAULT-VALUE}); others need the token",
                defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", description = "port, 0..65535 (default: ${DEFAULT-VALUE}; 0 = any free port)", defaultValue = "8080")
        int port;

        @Option(names = "--token", description = "API token to require (default: generated when --host is not loopback)")
        String token;

        @Option(names = "--insecure", description = "serve a non-loopback host without a token")
        boolean insecure;

        @Option(names = "--runners", description = "trials run at once, 1..256 (default: --cpus, else the number of cores)")
        Integer runners;

        @CommandLine.Mixin
        CpuShare cpuShare = new CpuShare();

        @Option(names = "--plugins", description = "plug-in jar folder (default: ${DEFAULT-VALUE})", defaultValue = "plugins")
        Path plugins;

        @Option(names = "--experiments", description = "sweep files folder (default: ${DEFAULT-VALUE})",
                defaultValue = "experiments")
        Path experiments;

        @Option(names = "--datasets", paramLabel = "DIR", description = "a folder sweeps may read datasets from, "
                + "repeatable (default: datasets); /usr/share/datasets is always one; paths elsewhere are refused")
        List<Path> datasets;

        @Option(names = "--allowed-host", paramLabel = "NAME", description = "another name clients reach this server "
                + "by (the Host header), repeatable; the bound address and localhost are always accepted")
        List<String> allowedHosts;

        @Option(names = "--cors-origin", paramLabel = "URL", description = "a web origin (http://host:port) whose pages "
                + "may call the API, repeatable (default: none)")
        List<String> corsOrigins;

        @Option(names = "--max-artifact-size", paramLabel = "SIZE", description = "largest artifact a tracked run may "
                + "upload, in bytes or with a unit: 512k, 200m, 2g (default: 1g)")
        String maxArtifactSize;

        /** "512k", "200M", "2GiB", "1048576" as bytes (binary units), the option named when it is not one. */
        static long artifactSize(String text) {
            Matcher m = Pattern.compile("(?i)\\s*(\\d{1,15})\\s*(?:([kmgt])(?:i?b)?|b)?\\s*").matcher(text);
            if (!m.matches()) {
                throw new CliError("--max-artifact-size: a size such as 1048576, 512k, 200m or 2g, got '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            int shift = m.group(2) == null ? 0 : 10 * ("kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
            if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
                throw new CliError("--max-artifact-size: must be at least 1 byte and fit 63 bits, got '" + text + "'");
            }
            return n << shift;
        }

        /** {@code serve --cluster-port}: a pure coordinator may have no runners of its own. */
        boolean zeroRunnersAllowed;

        /** The configuration, each option checked and named when wrong. */
        PlatformConfig apply(PlatformConfig c) {
            if (port < 0 || port > 65535) {
                throw new CliError("--port: must be 0..65535 (0 = any free port), got " + port);
            }
            if (runners != null && (runners < (zeroRunnersAllowed ? 0 : 1) || runners > 256)) {
                throw new CliError("--runners: must be 1..256 (trials run at once), got " + runners
                        + (runners == 0 ? "; 0 only for a cluster coordinator (--cluster-port)" : ""));
            }
            if (token != null && token.isBlank()) {
                throw new CliError("--token: must not be blank");
            }
            int defaultRunners = cpuShare.apply(c.runners(), System.err);
            c = c.withHost(host).withPort(port).withToken(token).withInsecure(insecure).withPluginsDir(plugins)
                    .withExperimentsDir(experiments).withPolicy(new ServerPolicy(
                            allowedHosts == null ? List.of() : allowedHosts, corsOrigins == null ? List.of() : corsOrigins,
                            ServerPolicy.withDebianDatasets(datasets == null ? List.of(Path.of("datasets")) : datasets),
                            maxArtifactSize == null ? ServerPolicy.DEFAULT_MAX_ARTIFACT_BYTES : artifactSize(maxArtifactSize)));
            return c.withRunners(runners == null ? defaultRunners : runners);
        }
    }

    static void printStarted(LocalServer server, PrintStream out) {
        out.println("Ludus is serving the dashboard at " + server.platform().dashboardUrl());
        if (server.platform().token() != null) {
            out.println("API token (send as 'Authorization: Bearer <token>'): " + server.platform().token());
        }
        server.platform().pluginErrors().forEach(e -> out.println("plug-in skipped: " + e));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the API and dashboard until stopped (Ctrl-C).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();
        @CommandLine.Mixin
        ServerOptions server = new ServerOptions();
        @CommandLine.Mixin
        ClusterOptions cluster = new ClusterOptions();

        @Override
        public Integer call() throws InterruptedException {
            CoordinatorSettings coordinator = cluster.settings();
            server.zeroRunnersAllowed = coordinator != null;
            PlatformConfig config = server.apply(store.config());
            ServerFile.Lookup running = ServerFile.lookup(store.data, config.effectiveJdbcUrl(), System.err);
            if (running.live() != null) {
                throw new CliError("a Ludus server already serves " + store.data + " at " + running.info().url() + " (pid "
                        + running.info().pid() + "); use it, stop it, or give another --data");
            }
            LocalServer local = LocalServer.start(config, coordinator, running.unanswering(), System.err);
            printStarted(local, System.out);
            if (coordinator != null) {
                System.out.println("Cluster: workers join with  ./ludus worker --join " + coordinator.host() + ":"
                        + coordinator.port() + " --token " + local.platform().token());
            }
            local.awaitStop();
            return ExitCodes.OK;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = {"Run a sweep file with a progress bar, then print the dashboard URL.",
                "With a server already on --data, the sweep is submitted to it and followed; Ctrl-C then detaches "
                    + "(the sweep keeps running there). Otherwise a server is started for the sweep (and kept with --serve)."})
    static final class Sweep implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "the sweep file (JSON), e.g. experiments/frozenlake-q.json")
        Path file;

        @Option(names = "--serve", description = "keep serving the dashboard after the sweep ends")
        boolean serve;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();
        @CommandLine.Mixin
        ServerOptions server = new ServerOptions();

        /** Where the sweep goes: a sweep file to {@code /api/sweeps}, or {@code rerun}'s request for a run's re-run. */
        String submitPath = "/api/sweeps";
        /** What is submitted, for messages: the file, or "the re-run of run N". */
        String what;

        @Override
        public Integer call() throws InterruptedException {
            boolean isFile = what == null;
            String body = isFile ? readSweepFile(file) : "{}";
            if (isFile) {
                what = String.valueOf(file);
            }
            PlatformConfig config = server.apply(store.config());
            ServerFile.Lookup running = store.lookup();
            if (running.live() != null) {
                return attach(body, running);
            }
            // checked before anything starts: a bad file binds no port and touches no database
            Catalog.loadPlugins(config.pluginsDir());
            try {
                if (isFile) {
                    SweepParser.parse(body, config.executor());
                }
            } catch (BadInput e) {
                throw new CliError(file + " rejected: " + e.getMessage());
            }
            LocalServer local;
            long serverStart = System.currentTimeMillis(); // sweeps created from now on were sent to this command's server
            try {
                local = LocalServer.start(config, running.unanswering(), System.err);
            } catch (LocalServer.DataDirBusy busy) {
                // another server is starting on this data directory: use it once it answers
                System.err.println("ludus: a server is starting on " + store.data + "; waiting for it");
                ServerFile.Lookup started = ServerFile.Lookup.NONE;
                for (long end = System.nanoTime() + 60_000_000_000L; started.live() == null && System.nanoTime() < end; ) {
                    Thread.sleep(500);
                    started = store.lookup(); // the file appears once the server answers
                }
                if (started.live() == null) {
                    throw busy;
                }
                return attach(body, started);
            }
            int code;
            try {
                code = submitAndFollow(body, local.client(), null, local);
                if (!serve) {
                    serveAttachedSweeps(local.client(), serverStart);
                }
            } catch (RuntimeException e) {
                local.close();
                throw e;
            }
            if (!serve) {
                local.close();
            }
            return code;
        }

        /**
         * Other {@code ludus sweep} commands on the same data directory attach to the server this one started;
         * stopping it when this command's own sweep ends would interrupt theirs, so it serves them to their end.
         */
        /** How long the server stays up after an attached sweep ends, for its command to fetch the runs it prints. */
        private static final long ATTACHED_GRACE_MS = 2_000;

        private static void serveAttachedSweeps(ServerClient client, long serverStart) {
            for (;;) {
                List<Long> open = client.getArray("/api/sweeps").stream().map(JsonObject.class::cast)
                        .filter(s -> s.getLong("createdAt") >= serverStart && !ServerClient.ended(s))
                        .map(s -> s.getLong("id")).toList();
                if (open.isEmpty()) {
                    return;
                }
                System.err.println("ludus: serving until sweep" + (open.size() == 1 ? " " : "s ")
                        + open.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + ", submitted by another command, " + (open.size() == 1 ? "ends" : "end")
                        + " (Ctrl-C stops the server; unfinished runs continue when a server starts again)");
                for (long id : open) {
                    client.followSweep(id, state -> { });
                }
                try {
                    Thread.sleep(ATTACHED_GRACE_MS); // the attached commands list their runs before the server stops
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private int attach(String body, ServerFile.Lookup running) throws InterruptedException {
            List<String> ignored = ServerOptions.NAMES.stream()
                    .filter(n -> spec.commandLine().getParseResult().hasMatchedOption(n)).toList();
            if (!ignored.isEmpty()) {
                System.err.println("ludus: ignoring " + String.join(", ", ignored) + ": only a server this command starts "
                        + "uses them, and one is already running");
            }
            return submitAndFollow(body, running.live(), "the server at " + running.info().url() + " (pid "
                    + running.info().pid() + ")", null);
        }

        /**
         * Submits the sweep, follows it to its end with a progress bar, prints its runs.
         *
         * @param remote the attached server's description, or null for {@code local}, the server this command started
         */
        private int submitAndFollow(String body, ServerClient client, String remote, LocalServer local)
                throws InterruptedException {
            ServerClient.Reply created = client.postJson(submitPath, body);
            if (!created.ok()) {
                throw new CliError(created.status() / 100 == 4 ? ExitCodes.USAGE : ExitCodes.SERVER,
                        what + " rejected: " + created.error());
            }
            JsonObject answer = new JsonObject(created.body());
            long id = answer.containsKey("sweepId") ? answer.getLong("sweepId") : answer.getLong("id");
            answer.getJsonArray("warnings", new JsonArray()).forEach(w -> System.err.println("ludus: warning: " + w));
            String dashboard = client.dashboardUrl() + "#/sweeps/" + id;
            // from here until the sweep ends, Ctrl-C says what becomes of the sweep
            String onExit = remote != null
                    ? "detached; sweep " + id + " keeps running on " + remote + ": " + dashboard + " or ./ludus runs " + id
                            + (store.data.equals(Path.of("data")) ? "" : " --data " + store.data)
                    : "stopping the server; sweep " + id + "'s unfinished runs continue when a server starts again on "
                            + store.data + " (./ludus serve --data " + store.data + ")";
            Thread interrupted = new Thread(() -> System.err.println(System.lineSeparator() + "ludus: " + onExit));
            Runtime.getRuntime().addShutdownHook(interrupted);
            JsonObject last;
            try {
                JsonObject sweep = client.getJson("/api/sweeps/" + id);
                System.out.println("Sweep " + id + " '" + sweep.getString("name") + "': " + sweep.getInteger("total")
                        + " runs, parallelism " + sweep.getInteger("parallelism") + " (" + client.url() + ")");
                last = followWithProgress(client, id, sweep.getInteger("total"));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException exiting) {
                    // the hook is saying what happens to the sweep
                }
            }
            JsonArray runs;
            try {
                runs = client.getArray("/api/sweeps/" + id + "/runs");
            } catch (CliError stopped) {
                if (remote == null) {
                    throw stopped;
                }
                // the server this command attached to stopped as the sweep ended: the sweep is complete all the same
                System.err.println("ludus: " + remote + " stopped as sweep " + id + " ended (" + stopped.getMessage()
                        + "); ./ludus runs " + id + (store.data.equals(Path.of("data")) ? "" : " --data " + store.data)
                        + " lists its runs");
                System.out.println("Sweep " + id + " " + last.getString("status") + ": " + last.getJsonObject("counts").encode());
                JsonObject counts = last.getJsonObject("counts");
                return counts.getInteger("failed", 0) > 0 ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
            }
            printRuns(runs, System.out);
            if (answer.containsKey("rerunOf") && !runs.isEmpty()) {
                System.out.println(ModelCommands.Rerun.comparison(client.getJson("/api/runs/" + answer.getLong("rerunOf")),
                        runs.getJsonObject(0)));
            }
            System.out.println("Sweep " + id + " " + last.getString("status") + ": " + last.getJsonObject("counts").encode());
            System.out.println("Dashboard: " + dashboard + (remote != null ? "  (served by " + remote + ")"
                    : serve ? "" : "  (served while this command runs with --serve, or by ./ludus serve)"));
            boolean failed = runs.stream().anyMatch(r -> "failed".equals(((JsonObject) r).getString("status")));
            if (local != null && serve) {
                System.out.println("Serving until Ctrl-C.");
                local.awaitStop();
                return ExitCodes.OK;
            }
            return failed ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
        }

        /** Follows the live stream with a progress bar until the sweep ends. */
        private static JsonObject followWithProgress(ServerClient client, long id, int total) {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.out)).build()) {
                return client.followSweep(id, state -> {
                    JsonObject c = state.getJsonObject("counts");
                    int failed = c.getInteger("failed", 0) + c.getInteger("diverged", 0);
                    bar.stepTo(c.getInteger("finished", 0) + failed + c.getInteger("cancelled", 0));
                    bar.setExtraMessage(c.getInteger("running", 0) + " running" + (failed > 0 ? ", " + failed + " failed" : ""));
                });
            }
        }
    }

    /** The sweep file's text, if it exists and is a JSON object (the rest is checked by the server's parser). */
    static String readSweepFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliError(Files.isDirectory(file) ? file + " is a folder, not a sweep file" : "no such sweep file: " + file);
        }
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliError("cannot read the sweep file " + file + ": " + e.getMessage());
        }
        try {
            if (!(io.vertx.core.json.Json.decodeValue(body) instanceof JsonObject)) {
                throw new CliError(file + " rejected: a sweep file is a JSON object");
            }
        } catch (DecodeException e) {
            throw new CliError(file + " rejected: invalid JSON" + jsonProblem(e.getMessage()));
        }
        return body;
    }

    /** The parser's complaint without its internals: {@code : Unexpected end-of-input (line 2, column 1)}. */
    static String jsonProblem(String message) {
        if (message == null) {
            return "";
        }
        String what = message.replaceFirst("^Failed to decode:", "").lines().findFirst().orElse("")
                .replaceFirst("\\s*\\(start marker at .*$", "").replaceFirst("\\s*at \\[Source.*$", "").strip();
        Matcher where = Pattern.compile("line: (\\d+), column: (\\d+)").matcher(message);
        String at = "";
        while (where.find()) {
            at = " (line " + where.group(1) + ", column " + where.group(2) + ")";
        }
        return (what.isEmpty() ? "" : ": " + what) + at;
    }

    /** Reads through the server on the data directory when one answers, else from the database. */
    static RunSource runSource(StoreOptions store) {
        ServerFile.Lookup found = store.lookup();
        return found.live() != null ? new RemoteRuns(found.live()) : LocalRuns.open(store.config(), found.unanswering());
    }

    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = {"List sweeps, or the runs of one sweep (filter and sort as in the API).",
                "Reads through the server on --data when one is running, else the database."})
    static final class Runs implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "sweep id; without it, list the sweeps")
        Long sweep;

        @Option(names = "--filter", description = "e.g. \"params.lr < 0.01 and summary.eval/return_mean >= 400\"")
        String filter;

        @Option(names = "--sort", description = "field to sort by (default: ${DEFAULT-VALUE})", defaultValue = "id")
        String sort;

        @Option(names = "--desc", description = "sort descending")
        boolean desc;

        @Option(names = "--json", description = "print the API's JSON (every field, full precision) instead of a table, for scripts")
        boolean json;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            try (RunSource source = runSource(store)) {
                if (sweep == null) {
                    JsonArray sweeps = source.sweeps();
                    if (json) {
                        System.out.println(sweeps.encodePrettily());
                        return ExitCodes.OK;
                    }
                    System.out.printf("%-5s %-30s %-9s %-10s %6s  %s%n", "id", "name", "kind", "status", "total", "counts");
                    for (Object o : sweeps) {
                        JsonObject s = (JsonObject) o;
                        System.out.printf("%-5d %-30s %-9s %-10s %6d  %s%n", s.getLong("id"), clip(s.getString("name"), 30),
                                s.getString("kind"), s.getString("status"), s.getInteger("total"), s.getJsonObject("counts").encode());
                    }
                } else {
                    JsonArray runs = source.runs(sweep, filter, sort, desc);
                    if (json) {
                        System.out.println(runs.encodePrettily());
                    } else {
                        printRuns(runs, System.out);
                    }
                    if (runs.isEmpty() && filter != null) {
                        unknownFilterNames(filter, source.runs(sweep, null, "id", false)).forEach(System.err::println);
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    /**
     * "ludus: no run has params.lrr; did you mean params.lr?" for each name in a filter that no run has:
     * such a filter matches nothing and would otherwise say nothing.
     */
    static List<String> unknownFilterNames(String filter, JsonArray allRuns) {
        List<JsonObject> rs = allRuns.stream().map(JsonObject.class::cast).toList();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(params|summary)\\.([A-Za-z0-9_./-]*[A-Za-z0-9_])").matcher(filter);
        while (m.find()) {
            String kind = m.group(1), name = m.group(2);
            TreeSet<String> known = new TreeSet<>();
            rs.forEach(r -> {
                JsonObject o = r.getJsonObject(kind);
                if (o != null) {
                    known.addAll(o.fieldNames());
                }
            });
            if (rs.isEmpty() || known.contains(name)) {
                continue;
            }
            String near = Format.closest(name, known);
            String line = "ludus: no run has " + kind + "." + name + (near != null ? "; did you mean " + kind + "." + near + "?"
                    : "; known: " + known.stream().map(k -> kind + "." + k).collect(Collectors.joining(", ")));
            if (!out.contains(line)) {
                out.add(line);
            }
        }
        return out;
    }

    @Command(name = "best", mixinStandardHelpOptions = true,
            description = {"Rank a sweep's configurations by their mean final metric over seeds, with n and a 95%% CI of the mean "
                + "(Student's t), as the dashboard's leaderboard.",
                "Reads through the server on --data when one is running, else the database."})
    static final class Best implements Callable<Integer> {
        @Parameters(index = "0", description = "sweep id")
        long sweep;

        @Option(names = "--metric", description = "final metric (summary key) to rank by (default: eval/return_mean, "
                + "test/accuracy or val/accuracy, whichever the runs report)")
        String metric;

        @Option(names = "--lower", description = "lower is better (default: lower for loss, error, length, regret, time; else higher)")
        Boolean lower;

        @Option(names = "--top", description = "show the best N configurations (default: all)")
        Integer top;

        @Option(names = "--json", description = "print JSON for scripts: every configuration with params, n, mean, std, ci95, runs, values")
        boolean json;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            if (top != null && top < 1) {
                throw new CliError("--top: must be >= 1, got " + top);
            }
            JsonArray runs;
            try (RunSource source = runSource(store)) {
                runs = source.runs(sweep, null, "id", false);
            }
            List<String> reported = Leaderboard.reportedMetrics(runs);
            String key = metric != null ? metric : Leaderboard.defaultMetric(reported);
            if (key == null) {
                throw new CliError("sweep " + sweep + " has no finished run with a final metric yet: nothing to rank");
            }
            if (!reported.contains(key)) {
                String near = Format.closest(key, reported);
                throw new CliError("--metric " + key + ": no finished run of sweep " + sweep + " reports it"
                        + (near != null ? "; did you mean " + near + "?" : "") + " Known: " + String.join(", ", reported));
            }
            boolean higherIsBetter = lower == null ? !Leaderboard.lowerIsBetter(key) : !lower;
            List<Leaderboard.Row> rows = Leaderboard.rank(runs, key, higherIsBetter);
            List<Leaderboard.Row> shown = top == null ? rows : rows.subList(0, Math.min(top, rows.size()));
            if (json) {
                System.out.println(new JsonObject().put("sweep", sweep).put("metric", key).put("higher_is_better", higherIsBetter)
                        .put("configurations", new JsonArray(shown.stream().map(Leaderboard.Row::toJson).toList())).encodePrettily());
            } else {
                long finishedRuns = rows.stream().mapToLong(Leaderboard.Row::n).sum();
                System.out.println("sweep " + sweep + ": " + rows.size() + " configuration" + (rows.size() == 1 ? "" : "s") + " of "
                        + finishedRuns + " finished run" + (finishedRuns == 1 ? "" : "s") + ", ranked by mean " + key + " over seeds ("
                        + (higherIsBetter ? "higher" : "lower") + " is better); 95% CI of the mean from Student's t");
                printLeaderboard(shown, System.out);
                if (rows.stream().anyMatch(r -> r.n() < 2)) {
                    System.out.println("configurations with one seed have no interval: rank them with care");
                }
            }
            return ExitCodes.OK;
        }
    }

    static void printLeaderboard(List<Leaderboard.Row> rows, PrintStream out) {
        List<String> params = varyingParams(rows.stream().map(Leaderboard.Row::params).toList());
        List<String> header = new ArrayList<>(List.of("rank", "mean", "95% CI", "std", "n"));
        header.addAll(params);
        List<List<String>> cells = new ArrayList<>();
        for (Leaderboard.Row r : rows) {
            List<String> line = new ArrayList<>(List.of(String.valueOf(r.rank()), Format.num(r.mean()),
                    r.n() > 1 ? "[" + Format.num(r.lo()) + ", " + Format.num(r.hi()) + "]" : "-",
                    r.n() > 1 ? Format.num(r.std()) : "-", String.valueOf(r.n())));
            params.forEach(k -> line.add(Format.num(r.params().getValue(k))));
            cells.add(line);
        }
        printTable(header, cells, out);
    }

    /** Left-aligned columns as wide as their longest cell: names are never cut. */
    static void printTable(List<String> header, List<List<String>> rows, PrintStream out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = r.get(i);
                line.append(i == width.length - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The param names whose values differ between configurations (all of them when none differ), sorted. */
    static List<String> varyingParams(List<JsonObject> params) {
        List<String> all = params.stream().flatMap(p -> p.fieldNames().stream()).distinct().sorted().toList();
        List<String> differing = all.stream().filter(k -> params.stream().map(p -> String.valueOf(p.getValue(k))).distinct().count() > 1)
                .toList();
        return differing.isEmpty() ? all : differing;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a sweep's runs, or one run's metrics (--run), as CSV.",
                "Reads through the server on --data when one is running, else the database."})
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
        public Integer call() {
            if ((sweep == null) == (run == null)) {
                throw new CliError("give a sweep id or --run RUN_ID (one of them)");
            }
            if (output != null) {
                checkWritable(output); // before reading anything: a typo in the path costs no wait
            }
            String csv;
            try (RunSource source = runSource(store)) {
                csv = run != null ? source.metricsCsv(run) : source.runsCsv(sweep);
            }
            if (output == null) {
                System.out.print(csv);
            } else {
                writeAtomically(output, csv);
                System.err.println("wrote " + output);
            }
            return ExitCodes.OK;
        }
    }

    /** Fails naming the path when {@code file} cannot be written: a missing folder, or a folder in its place. */
    static void checkWritable(Path file) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        if (Files.isDirectory(file)) {
            throw new CliError("-o " + file + ": is a folder; give a file name");
        }
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CliError("-o " + file + ": the folder " + folder + " does not exist");
        }
        if (folder != null && !Files.isWritable(folder)) {
            throw new CliError("-o " + file + ": the folder " + folder + " is not writable");
        }
    }

    /** Writes through a temporary file in the same folder, so {@code file} is never left half-written. */
    static void writeAtomically(Path file, String text) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliError("-o " + file + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // only a leftover temporary file
                }
            }
        }
    }

    /**
     * The runs as a table: id, status, seed, one column per param that differs (its whole name), the
     * eval/test summaries, and a failed run's error (API JSON). Numbers as {@link Format#num}.
     */
    static void printRuns(JsonArray runs, PrintStream out) {
        List<JsonObject> rs = runs.stream().map(JsonObject.class::cast).toList();
        List<String> summaryKeys = new ArrayList<>(new TreeSet<>(rs.stream().map(Main::summary)
                .flatMap(s -> s.fieldNames().stream()).toList()));
        List<String> shown = summaryKeys.stream().filter(k -> k.startsWith("eval/") || k.startsWith("test/")).toList();
        if (shown.isEmpty()) {
            shown = summaryKeys.stream().limit(3).toList();
        }
        // only the params that differ between runs say anything
        List<String> varying = varyingParams(rs.stream().map(r -> r.getJsonObject("params", new JsonObject())).toList());
        List<String> header = new ArrayList<>(List.of("id", "status", "seed"));
        header.addAll(varying);
        header.addAll(shown);
        header.add("");
        List<List<String>> cells = new ArrayList<>();
        for (JsonObject r : rs) {
            JsonObject params = r.getJsonObject("params", new JsonObject());
            List<String> line = new ArrayList<>(List.of(String.valueOf(r.getLong("id")), r.getString("status"),
                    Format.num(r.getValue("seed"))));
            varying.forEach(k -> line.add(Format.num(params.getValue(k))));
            shown.forEach(k -> line.add(Format.num(summary(r).getValue(k))));
            String error = r.getString("error");
            line.add(error != null && !"finished".equals(r.getString("status")) ? clip(error, 80) : "");
            cells.add(line);
        }
        printTable(header, cells, out);
    }

    private static JsonObject summary(JsonObject run) {
        JsonObject s = run.getJsonObject("summary");
        return s == null ? new JsonObject() : s;
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
