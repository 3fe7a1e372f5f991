package dev.ludus.platform.search;

import dev.ludus.platform.store.RunRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A model-based sweep as its file declares it ({@code "search": {"method": "tpe", "trials", "seed", "objective",
 * "direction"}}, the {@code params} as a {@link SearchSpace}, the {@code seeds} each configuration runs on, or
 * {@code racing.seeds} when raced), and the
 * state of a study read back from its runs: one trial per configuration, whose value is the mean of the objective
 * over the seeds that finished.
 */
public record Study(String name, SearchSpace space, int trials, long seed, String objective, boolean maximize,
                    List<Long> seeds, int parallelism) {

    public static final Tpe TPE = new Tpe(Tpe.Settings.OPTUNA);

    public Study {
        seeds = List.copyOf(seeds);
    }

    /** Reads a stored (already validated) sweep definition; null when it is not a TPE sweep. */
    public static Study of(JsonObject definition, int parallelism) {
        JsonObject search = definition.getJsonObject("search");
        if (search == null || !"tpe".equals(search.getValue("method"))) {
            return null;
        }
        List<Long> seeds = new ArrayList<>();
        JsonObject racing = definition.getJsonObject("racing");
        JsonArray listed = racing != null ? racing.getJsonArray("seeds") : definition.getJsonArray("seeds");
        if (listed == null) {
            seeds.add(0L);
        } else {
            listed.forEach(s -> seeds.add(((Number) s).longValue()));
        }
        JsonObject params = definition.getJsonObject("params", new JsonObject());
        return new Study(definition.getString("name"), SearchSpace.parse(params), search.getInteger("trials"),
                search.getLong("seed", 0L), search.getString("objective"),
                !"minimize".equals(search.getString("direction", "maximize")), seeds, parallelism);
    }

    /** The random stream of trial {@code number}: a suggestion depends on the seed, its number and the history only. */
    public SplittableRandom rngFor(int number) {
        return trialRandom(seed, number);
    }

    /**
     * Trial {@code number}'s stream: seeded by the number-th draw of the study seed's stream (seeding with a linear
     * function of both would make the streams of studies with neighbouring seeds shifted copies of each other).
     */
    public static SplittableRandom trialRandom(long seed, int number) {
        SplittableRandom studyStream = new SplittableRandom(seed);
        long trialSeed = studyStream.nextLong();
        for (int i = 0; i < number; i++) {
            trialSeed = studyStream.nextLong();
        }
        return new SplittableRandom(trialSeed);
    }

    /** A run's {@code trial} column (its index in the sweep, as in a grid): configuration-major, then seed. */
    public int runIndex(int configuration, int seedIndex) {
        return configuration * seeds.size() + seedIndex;
    }

    /** One configuration of the study and what its runs report. */
    public record TrialState(int number, JsonObject params, Tpe.Observation.Kind kind, Double value, int finishedSeeds,
                             int seeds) {
        public JsonObject toJson() {
            return new JsonObject().put("trial", number).put("params", params).put("state", switch (kind) {
                case COMPLETE -> "complete";
                case PARTIAL -> "ended";
                case RUNNING -> "running";
            }).put("value", value).put("finishedSeeds", finishedSeeds).put("seeds", seeds);
        }
    }

    /** The trials so far, by number, from the sweep's runs (the newest attempt of each configuration x seed). */
    public List<TrialState> trials(List<RunRecord> runs) {
        Map<Integer, Map<Long, RunRecord>> byTrial = new TreeMap<>();
        for (RunRecord r : runs) {
            Map<Long, RunRecord> seedsOfTrial = byTrial.computeIfAbsent(r.trial() / seeds.size(), t -> new LinkedHashMap<>());
            RunRecord before = seedsOfTrial.get(r.seed());
            if (before == null || before.attempt() <= r.attempt()) {
                seedsOfTrial.put(r.seed(), r);
            }
        }
        List<TrialState> out = new ArrayList<>();
        byTrial.forEach((number, bySeed) -> {
            double sum = 0;
            int finished = 0;
            boolean open = false;
            Double partial = null;
            JsonObject params = null;
            for (RunRecord r : bySeed.values()) {
                params = r.params();
                Double v = value(r);
                if (r.status().equals("finished") && v != null) {
                    sum += v;
                    finished++;
                } else if (!r.ended()) {
                    open = true;
                } else if (v != null && (partial == null || (maximize ? v > partial : v < partial))) {
                    partial = v; // a pruned run's last value
                }
            }
            if (finished > 0) {
                out.add(new TrialState(number, params, Tpe.Observation.Kind.COMPLETE, sum / finished, finished, bySeed.size()));
            } else if (open) {
                out.add(new TrialState(number, params, Tpe.Observation.Kind.RUNNING, null, 0, bySeed.size()));
            } else {
                out.add(new TrialState(number, params, Tpe.Observation.Kind.PARTIAL, partial, 0, bySeed.size()));
            }
        });
        return out;
    }

    private Double value(RunRecord r) {
        if (r.summary() == null || !(r.summary().getValue(objective) instanceof Number n)) {
            return null;
        }
        double v = n.doubleValue();
        return Double.isFinite(v) ? v : null;
    }

    /** The model's view of the trials: losses (the objective, negated when maximising), worst for no value. */
    public List<Tpe.Observation> observations(List<TrialState> trials) {
        List<Tpe.Observation> out = new ArrayList<>();
        for (TrialState t : trials) {
            Map<String, Object> values = new LinkedHashMap<>();
            t.params().forEach(e -> values.put(e.getKey(), e.getValue()));
            double loss = t.value() == null ? Double.POSITIVE_INFINITY : maximize ? -t.value() : t.value();
            out.add(new Tpe.Observation(values, loss, t.kind()));
        }
        return out;
    }

    /** The configuration of trial {@code number}, given the trials before it (running ones as the constant liar's). */
    public JsonObject suggest(int number, List<Tpe.Observation> history) {
        return space.assemble(TPE.suggest(space, history, seed, number));
    }
}
