package dev.ludus.platform.exec;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * "Re-run this run": a one-run sweep built from a run's stored provenance — its task, every hyperparameter it ran
 * with (defaults included, so a default changed since does not change the re-run) and its seed — after checking that
 * what the provenance names can still be honoured: the plug-in jars its env and agent came from and the dataset
 * files it read must have the same SHA-256 now. A different Ludus version or commit is reported as a warning: the
 * code is the user's to choose, while a changed jar or dataset is a silent difference the user cannot see.
 */
public final class Rerun {

    /** The sweep file to submit and what may differ from the original run. */
    public record Plan(JsonObject sweepFile, List<String> warnings) {
    }

    private Rerun() {
    }

    /**
     * Blocking (hashes the dataset files again): call it on a worker thread.
     *
     * @param current this server's provenance ({@link Provenance#base()})
     * @throws BadInput 409 naming what cannot be honoured
     */
    public static Plan plan(RunRecord run, TrialExecutor executor, JsonObject current) {
        JsonObject p = run.provenance();
        if (p == null || p.getValue("task") == null) {
            if (p != null && p.getBoolean("tracked", false)) {
                throw new BadInput(409, "id", "run " + run.id() + " was logged by an outside program through the tracking "
                        + "API; Ludus has no task to re-run it from");
            }
            throw new BadInput(409, "id", "run " + run.id() + " has no provenance to re-run from (status " + run.status()
                    + ": it never started)");
        }
        JsonObject task = p.getJsonObject("task");
        JsonObject params = p.getJsonObject("resolvedParams", p.getJsonObject("params", new JsonObject()));
        JsonObject now;
        try {
            now = RunInputs.identify(executor, SweepParser.plainMap(task), false);
        } catch (IllegalArgumentException e) {
            throw new BadInput(409, "provenance.dataset", "run " + run.id() + " cannot be re-run: " + e.getMessage());
        }
        checkPlugins(run, p, now);
        checkDataset(run, p, now);

        List<String> warnings = new ArrayList<>();
        for (String key : List.of("ludus", "gitCommit")) {
            Object then = p.getValue(key);
            Object here = current.getValue(key);
            if (then != null && !Objects.equals(then, here)) {
                warnings.add(key + ": run " + run.id() + " ran on " + then + ", this server is " + here
                        + "; results may differ if the code changed");
            }
        }
        JsonObject grid = new JsonObject();
        params.forEach(e -> grid.put(e.getKey(), new JsonArray().add(e.getValue()))); // one value each: [[64, 64]] stays a list
        JsonObject file = new JsonObject()
                .put("name", "rerun-of-run-" + run.id())
                .put("description", "re-run of run " + run.id() + " (" + run.name() + ", sweep " + run.sweepId()
                        + ") from its provenance: task, every hyperparameter, seed " + run.seed())
                .put("task", task.copy())
                .put("params", grid)
                .put("seeds", new JsonArray().add(run.seed()))
                .put("parallelism", 1);
        return new Plan(file, warnings);
    }

    private static void checkPlugins(RunRecord run, JsonObject then, JsonObject now) {
        JsonObject origins = then.getJsonObject("origins", new JsonObject());
        JsonObject jarsThen = then.getJsonObject("plugins", new JsonObject());
        JsonObject jarsNow = now.getJsonObject("plugins", new JsonObject());
        for (String what : List.of("env", "agent")) {
            String jar = origins.getString(what);
            if (jar == null || jar.equals("built-in") || !jarsThen.containsKey(jar)) {
                continue;
            }
            String hashThen = jarsThen.getString(jar);
            String hashNow = jarsNow.getString(jar);
            String name = then.getJsonObject("task").getString(what);
            if (hashNow == null) {
                throw new BadInput(409, "provenance.plugins." + jar, "run " + run.id() + " cannot be re-run: its " + what
                        + " '" + name + "' came from plug-in " + jar + ", which this server has not loaded");
            }
            if (!hashNow.equals(hashThen)) {
                throw new BadInput(409, "provenance.plugins." + jar, "run " + run.id() + " cannot be re-run as it ran: "
                        + "plug-in " + jar + " (its " + what + " '" + name + "') changed since (SHA-256 "
                        + hashThen.substring(0, 12) + "… then, " + hashNow.substring(0, 12) + "… now)");
            }
        }
    }

    private static void checkDataset(RunRecord run, JsonObject then, JsonObject now) {
        JsonObject filesThen = then.getJsonObject("dataset", new JsonObject()).getJsonObject("files", new JsonObject());
        JsonObject filesNow = now.getJsonObject("dataset", new JsonObject()).getJsonObject("files", new JsonObject());
        for (String path : filesThen.fieldNames()) {
            String hashThen = filesThen.getString(path);
            String hashNow = filesNow.getString(path);
            if (hashNow == null) {
                throw new BadInput(409, "provenance.dataset", "run " + run.id() + " cannot be re-run: it read dataset file "
                        + path + ", which the task no longer reads (the file moved or the dataset folders changed)");
            }
            if (!hashNow.equals(hashThen)) {
                throw new BadInput(409, "provenance.dataset", "run " + run.id() + " cannot be re-run as it ran: dataset file "
                        + path + " changed since (SHA-256 " + hashThen.substring(0, 12) + "… then, "
                        + hashNow.substring(0, 12) + "… now)");
            }
        }
    }
}
