package dev.ludus.platform.search;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.SweepRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What {@code GET /api/sweeps/:id/search} shows of a TPE study: every trial (configuration) with its state, its
 * value (the objective's mean over the seeds that finished) and the best value so far, and the best trial; when the
 * study is raced, its race too ({@code racing}: survivors, eliminations and why).
 * Computed from the runs, like the study itself.
 */
public final class StudyReport {

    private StudyReport() {
    }

    /** The report, or null when the sweep is not a TPE study. */
    public static JsonObject of(SweepRecord sweep, List<RunRecord> runs) {
        Race race = Race.of(sweep.definition());
        Study study = Study.of(sweep.definition(), sweep.parallelism());
        if (study == null) {
            return race == null ? null : race.report(runs).put("sweepId", sweep.id());
        }
        JsonArray trials = new JsonArray();
        Study.TrialState best = null;
        Double bestSoFar = null;
        for (Study.TrialState t : study.trials(runs)) {
            JsonObject j = t.toJson();
            if (t.kind() == Tpe.Observation.Kind.COMPLETE) {
                if (best == null || better(study, t.value(), best.value())) {
                    best = t;
                }
                bestSoFar = best.value();
            }
            trials.add(j.put("bestSoFar", bestSoFar).put("model", t.number() >= Tpe.Settings.OPTUNA.startupTrials()
                    ? "tpe" : "random start-up"));
        }
        return new JsonObject().put("sweepId", sweep.id()).put("method", "tpe").put("objective", study.objective())
                .put("direction", study.maximize() ? "maximize" : "minimize").put("trialsPlanned", study.trials())
                .put("seeds", new JsonArray(study.seeds().stream().map(Object.class::cast).toList()))
                .put("trials", trials).put("best", best == null ? null : best.toJson())
                .put("racing", race == null ? null : race.report(runs, race.challenges(runs)));
    }

    private static boolean better(Study study, double a, double b) {
        return study.maximize() ? a > b : a < b;
    }
}
