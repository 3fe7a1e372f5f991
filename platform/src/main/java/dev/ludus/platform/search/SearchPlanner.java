package dev.ludus.platform.search;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.SweepPlan;
import dev.ludus.platform.store.SweepPlanner;
import dev.ludus.platform.store.SweepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queues the runs of model-based sweeps as slots free: whenever a TPE sweep has fewer runs queued than it has free
 * slots (its parallelism minus its running runs) and trials left, it asks {@link Tpe} for the next configuration
 * and queues it on every seed, or, when the study is raced, on the race's first seeds (the race then adds a seed at a
 * time while the configuration holds its own against the incumbent, {@link Race#challenges}). The store calls it inside the write that ends a run, so the suggestion and the
 * result it follows are committed together.
 */
public final class SearchPlanner implements SweepPlanner {

    /** Parsed studies by sweep id: a sweep's definition never changes. */
    private final Map<Long, Study> studies = new ConcurrentHashMap<>();

    /** Parsed races by sweep id. */
    private final Map<Long, Race> races = new ConcurrentHashMap<>();

    @Override
    public boolean plans(SweepRecord sweep) {
        return study(sweep) != null || race(sweep) != null;
    }

    private Race race(SweepRecord sweep) {
        Race cached = races.get(sweep.id());
        if (cached != null) {
            return cached;
        }
        Race r = Race.of(sweep.definition());
        if (r != null) {
            races.put(sweep.id(), r);
        }
        return r;
    }

    private Study study(SweepRecord sweep) {
        Study cached = studies.get(sweep.id());
        if (cached != null) {
            return cached;
        }
        Study s = Study.of(sweep.definition(), sweep.parallelism());
        if (s != null) {
            studies.put(sweep.id(), s);
        }
        return s;
    }

    @Override
    public List<SweepPlan.PlannedRun> next(SweepRecord sweep, List<RunRecord> runs) {
        Race race = race(sweep);
        Study study = study(sweep);
        if (study == null) {
            return race == null ? List.of() : race.state(runs).due(); // the next seed for the survivors of a round
        }
        int queued = 0;
        int running = 0;
        for (RunRecord r : runs) {
            if (r.status().equals("queued")) {
                queued++;
            } else if (r.status().equals("running")) {
                running++;
            }
        }
        // raced: the configurations already proposed first get the seeds their race says are due
        List<SweepPlan.PlannedRun> out = new ArrayList<>(race == null ? List.of() : race.challenges(runs).due());
        List<Study.TrialState> trials = study.trials(runs);
        List<Tpe.Observation> history = new ArrayList<>(study.observations(trials));
        int number = trials.isEmpty() ? 0 : trials.get(trials.size() - 1).number() + 1;
        int seedsPerTrial = race == null ? study.seeds().size() : Math.min(race.first(), study.seeds().size());
        int wanted = study.parallelism() - running - queued - out.size();
        while (wanted > 0 && number < study.trials()) {
            var config = study.suggest(number, history);
            for (int i = 0; i < seedsPerTrial; i++) {
                long seed = study.seeds().get(i);
                out.add(new SweepPlan.PlannedRun(study.runIndex(number, i), study.name() + "-" + (number + 1) + "-s" + seed,
                        config, seed));
            }
            history.add(new Tpe.Observation(config.getMap(), Double.POSITIVE_INFINITY, Tpe.Observation.Kind.RUNNING));
            wanted -= seedsPerTrial;
            number++;
        }
        return out;
    }
}
