package dev.ludus.platform.cli;

import dev.ludus.platform.Catalog;
import dev.ludus.run.Rescore;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the CLI does with a finished run's saved model and provenance: {@code eval} and {@code rerun}. */
final class ModelCommands {

    private ModelCommands() {
    }

    /** The saved models of an RL run ({@code Trainer.BEST_MODEL}, {@code Trainer.FINAL_MODEL}). */
    enum Model {
        best("best.model"), last("final.model");

        final String file;

        Model(String file) {
            this.file = file;
        }
    }

    static final class ModelConverter implements CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "best" -> Model.best;
                case "final" -> Model.last;
                default -> throw new CommandLine.TypeConversionException("must be best or final, got '" + value + "'");
            };
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Re-score a run's saved agent on fresh episodes and print the mean return ± its std.",
                "Fresh: seeds drawn from their own stream (--seed) and checked against every training and evaluation "
                    + "seed the run used. Episodes are deterministic (the agent's greedy action), as in the run's "
                    + "evaluations. Reads through the server on --data when one is running, else the database."})
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", description = "run id")
        long run;

        @Option(names = "--model", paramLabel = "best|final", converter = ModelConverter.class,
                description = "the snapshot with the best evaluation, or the agent at the end (default: best if saved, else final)")
        Model model;

        @Option(names = "--episodes", description = "fresh episodes to play, 1..100000 (default: ${DEFAULT-VALUE})",
                defaultValue = "20")
        int episodes;

        @Option(names = "--seed", description = "seed of the fresh episodes (default: the run's seed); "
                + "the same seed plays the same episodes")
        Long seed;

        @Option(names = "--json", description = "print {run, model, env, agent, episodes, seed, mean, std, returns, seeds}")
        boolean json;

        @Option(names = "--plugins", description = "plug-in jar folder, for runs of plug-in agents or envs (default: ${DEFAULT-VALUE})",
                defaultValue = "plugins")
        Path plugins;

        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            if (episodes < 1 || episodes > 100_000) {
                throw new CliError("--episodes: must be 1..100000, got " + episodes);
            }
            Catalog.loadPlugins(plugins).forEach(e -> System.err.println("ludus: plug-in skipped: " + e));
            JsonObject r;
            byte[] saved;
            String file;
            try (RunSource source = Main.runSource(store)) {
                r = source.run(run);
                JsonObject task = r.getJsonObject("provenance", new JsonObject()).getJsonObject("task");
                if (task == null) {
                    throw new CliError(r.getJsonObject("provenance", new JsonObject()).getBoolean("tracked", false)
                            ? "run " + run + " was logged by an outside program (tracking API): it has no agent to re-score"
                            : "run " + run + " has no saved model: it is " + r.getString("status") + " and never started");
                }
                String type = task.getString("type", "rl");
                if (!type.equals("rl")) {
                    Object accuracy = r.getJsonObject("summary", new JsonObject()).getValue("test/accuracy");
                    throw new CliError("run " + run + " is a " + type + " run: eval re-scores RL agents on fresh episodes; "
                            + "its test-set score is in its summary (test/accuracy " + Format.num(accuracy) + ")");
                }
                file = model != null ? model.file : Model.best.file;
                saved = source.artifact(run, file);
                if (saved == null && model == null) {
                    file = Model.last.file;
                    saved = source.artifact(run, file);
                }
                if (saved == null) {
                    throw new CliError("run " + run + " has no " + (model != null ? file : "saved model") + " (status "
                            + r.getString("status") + (r.getString("error") == null ? "" : ": " + r.getString("error"))
                            + "); RL runs save final.model and best.model when they end"
                            + (model == Model.best ? ", best.model once an evaluation ran" : ""));
                }
            }
            JsonObject provenance = r.getJsonObject("provenance");
            JsonObject task = provenance.getJsonObject("task");
            JsonObject params = provenance.getJsonObject("resolvedParams", provenance.getJsonObject("params", new JsonObject()));
            JsonObject summary = r.getJsonObject("summary", new JsonObject());
            long runSeed = r.getLong("seed");
            long trainingEpisodes = summary.getValue("train/episodes") instanceof Number n ? n.longValue()
                    : task.getLong("steps", 0L); // every episode takes a step: an upper bound
            long freshSeed = seed != null ? seed : runSeed;
            Rescore.Result result;
            try {
                Map<String, Object> plainTask = SweepParser.plainMap(task);
                Map<String, Object> plainParams = SweepParser.plainMap(params);
                result = Rescore.rl(plainTask, plainParams, runSeed, trainingEpisodes, saved, episodes, freshSeed);
            } catch (IllegalArgumentException e) {
                throw new CliError("run " + run + " cannot be re-scored: " + e.getMessage());
            }
            if (json) {
                JsonObject out = new JsonObject().put("run", run).put("model", file).put("env", task.getString("env"))
                        .put("agent", task.getString("agent")).put("episodes", episodes).put("seed", freshSeed)
                        .put("mean", result.mean()).put("std", result.std())
                        .put("returns", new JsonArray(Arrays.stream(result.returns()).boxed().map(Object.class::cast).toList()))
                        .put("seeds", new JsonArray(Arrays.stream(result.seeds()).boxed().map(Object.class::cast).toList()));
                System.out.println(out.encodePrettily());
            } else {
                System.out.println("run " + run + " " + file + " (" + task.getString("agent") + " on " + task.getString("env")
                        + "): return " + Format.num(result.mean()) + " ± " + Format.num(result.std()) + "  (mean ± std over "
                        + episodes + " fresh episodes, seed " + freshSeed + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rerun", mixinStandardHelpOptions = true,
            description = {"Re-run a run from its stored provenance: the same task, every hyperparameter it ran with "
                    + "(defaults included) and its seed, as a new one-run sweep followed with a progress bar.",
                "Refused when the provenance cannot be honoured: a plug-in jar or dataset file whose SHA-256 changed. "
                    + "With a server on --data the re-run runs there (Ctrl-C detaches); else a server is started for it."})
    static final class Rerun implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN", description = "run id")
        long run;

        @Option(names = "--serve", description = "keep serving the dashboard after the re-run ends")
        boolean serve;

        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();
        @CommandLine.Mixin
        Main.ServerOptions server = new Main.ServerOptions();

        /**
         * "Run 5 reproduces run 2: the same 9 results (perf/* timings aside)", or the results that differ: what a user
         * checks after a re-run, in one line.
         */
        static String comparison(JsonObject original, JsonObject rerun) {
            JsonObject a = original.getJsonObject("summary", new JsonObject());
            JsonObject b = rerun.getJsonObject("summary", new JsonObject());
            java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.fieldNames());
            keys.addAll(b.fieldNames());
            keys.removeIf(k -> k.startsWith("perf/"));
            java.util.List<String> differ = keys.stream().filter(k -> !java.util.Objects.equals(a.getValue(k), b.getValue(k)))
                    .map(k -> k + " " + Format.num(a.getValue(k)) + " -> " + Format.num(b.getValue(k))).toList();
            String who = "Run " + rerun.getLong("id") + " (" + rerun.getString("status") + ")";
            if (!"finished".equals(rerun.getString("status")) || !"finished".equals(original.getString("status"))) {
                return who + " re-ran run " + original.getLong("id") + " (" + original.getString("status") + ")"
                        + (differ.isEmpty() ? "" : "; results differ: " + String.join(", ", differ));
            }
            return differ.isEmpty()
                    ? who + " reproduces run " + original.getLong("id") + ": the same " + keys.size() + " results (perf/* timings aside)"
                    : who + " differs from run " + original.getLong("id") + ": " + String.join(", ", differ);
        }

        @Override
        public Integer call() throws InterruptedException {
            Main.Sweep sweep = new Main.Sweep();
            sweep.spec = spec;
            sweep.store = store;
            sweep.server = server;
            sweep.serve = serve;
            sweep.submitPath = "/api/runs/" + run + "/rerun";
            sweep.what = "the re-run of run " + run;
            return sweep.call();
        }
    }
}
