package dev.ludus.platform.search;

import dev.ludus.platform.BadInput;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sweep's early stopping on its runs' periodic evaluations ({@code "pruner"} in the sweep file), and the state it
 * decides from. Two rules:
 * <ul>
 * <li>{@code asha} — asynchronous successive halving as Ray Tune's {@code ASHAScheduler}: rungs at
 * {@code grace_period * reduction_factor^k} steps; the first evaluation at or past a rung is recorded there, and the
 * run is stopped when it is below the (1 - 1/reduction_factor) percentile of the values recorded at that rung
 * before it (so about the best 1/reduction_factor go on). With {@code "paired": true} a run is compared only with the
 * runs of its own seed: each seed has its own rungs, so a seed that is hard (or easy) for every configuration moves
 * the cutoff with the run instead of pruning it (the same pairing by seed that racing's tests use).</li>
 * <li>{@code median} — Optuna's {@code MedianPruner}: once {@code startup_trials} runs have finished, a run past
 * {@code warmup_steps} is stopped when its best value so far is worse than the median of the finished runs' values
 * at the same step.</li>
 * </ul>
 * <p>In a raced sweep the pruner is elitist (irace's elitist capping): the race queues each round's runs best first
 * by its current ranking ({@link Race#state}), so the first run of a seed at a rung is the incumbent's, and
 * <ul>
 * <li>runs on the race's first seeds are never pruned: there is no ranking yet, so the first to arrive would be
 * immune because it was first in the file, not because it is good (their values are still recorded);</li>
 * <li>an asha run at a rung is compared only with the runs queued before it (lower run id), i.e. the runs the race
 * ranks above it, never with a lower-ranked run that happened to get there first: the incumbent is never pruned,
 * whatever the timing of parallel runs.</li>
 * </ul>
 * Not thread-safe: one instance per sweep, used on one event loop.
 */
public final class Pruner {

    /** The settings, as validated from the sweep file. */
    public record Spec(String type, String metric, boolean maximize, long gracePeriod, int reductionFactor,
                       int startupTrials, long warmupSteps, boolean paired) {

        private static final Set<String> ASHA_KEYS = Set.of("type", "metric", "direction", "grace_period",
                "reduction_factor", "paired");
        private static final Set<String> MEDIAN_KEYS = Set.of("type", "metric", "direction", "startup_trials",
                "warmup_steps");

        /**
         * Reads {@code pruner}; throws {@link BadInput} naming the field ({@code pruner.type}) at fault.
         *
         * @param defaultMaximize the search's direction when the pruner names none
         */
        public static Spec parse(Object value, boolean defaultMaximize, Set<String> reportedKeys) {
            if (!(value instanceof JsonObject p)) {
                throw new BadInput("pruner", "pruner: must be an object such as {\"type\": \"asha\", \"metric\": "
                        + "\"eval/return_mean\", \"grace_period\": 10000, \"reduction_factor\": 3}, got " + value);
            }
            Object type = p.getValue("type");
            if (!"asha".equals(type) && !"median".equals(type)) {
                throw new BadInput("pruner.type", "pruner.type: must be 'asha' or 'median', got "
                        + (type == null ? "nothing" : "'" + type + "'"));
            }
            Set<String> allowed = type.equals("asha") ? ASHA_KEYS : MEDIAN_KEYS;
            for (String k : p.fieldNames()) {
                if (!allowed.contains(k)) {
                    throw new BadInput("pruner." + k, "pruner." + k + ": unknown field for a " + type + " pruner; known: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
            Object metric = p.getValue("metric", "eval/return_mean");
            if (!(metric instanceof String m) || m.isBlank()) {
                throw new BadInput("pruner.metric", "pruner.metric: must be a metric name, got " + metric);
            }
            if (reportedKeys != null && !reportedKeys.isEmpty() && !reportedKeys.contains(m)) {
                throw new BadInput("pruner.metric", "pruner.metric: no run of this task reports '" + m
                        + "'; its runs report " + String.join(", ", reportedKeys.stream().sorted().toList()));
            }
            Object direction = p.getValue("direction");
            if (direction != null && !"maximize".equals(direction) && !"minimize".equals(direction)) {
                throw new BadInput("pruner.direction", "pruner.direction: must be 'maximize' or 'minimize', got '"
                        + direction + "'");
            }
            boolean maximize = direction == null ? defaultMaximize : direction.equals("maximize");
            long grace = integer(p, "grace_period", 1, 1, Long.MAX_VALUE / 1024);
            long rf = integer(p, "reduction_factor", 3, 2, 1000);
            long startup = integer(p, "startup_trials", 5, 0, 100_000);
            long warmup = integer(p, "warmup_steps", 0, 0, Long.MAX_VALUE / 2);
            Object paired = p.getValue("paired", false);
            if (!(paired instanceof Boolean)) {
                throw new BadInput("pruner.paired", "pruner.paired: must be true (compare a run only with the runs of "
                        + "its own seed) or false, got " + paired);
            }
            return new Spec((String) type, m, maximize, grace, (int) rf, (int) startup, warmup, (Boolean) paired);
        }

        private static long integer(JsonObject p, String key, long absent, long min, long max) {
            Object v = p.getValue(key);
            if (v == null) {
                return absent;
            }
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                    || n.doubleValue() > max) {
                throw new BadInput("pruner." + key, "pruner." + key + ": must be an integer in " + min + ".." + max
                        + ", got " + v);
            }
            return n.longValue();
        }

        /** The stored sweep's pruner, or null when it has none. */
        public static Spec of(JsonObject definition) {
            Object p = definition.getValue("pruner");
            if (p == null) {
                return null;
            }
            return parse(p, defaultMaximize(definition), null);
        }

        /** A pruner without its own direction follows the search's, else the race's, else maximises. */
        public static boolean defaultMaximize(JsonObject definition) {
            Object direction = definition.getValue("search") instanceof JsonObject search ? search.getValue("direction")
                    : null;
            if (direction == null && definition.getValue("racing") instanceof JsonObject racing) {
                direction = racing.getValue("direction");
            }
            return !"minimize".equals(direction);
        }

        /** Rung k's step: grace_period * reduction_factor^k. */
        long rung(int k) {
            long step = gracePeriod;
            for (int i = 0; i < k; i++) {
                step = step > Long.MAX_VALUE / reductionFactor ? Long.MAX_VALUE : step * reductionFactor;
            }
            return step;
        }
    }

    private final Spec spec;
    /** asha: the values recorded at each rung, by run; one set of rungs per seed when paired (key: the seed), else key 0. */
    private final Map<Long, Map<Integer, Map<Long, Double>>> rungs = new HashMap<>();
    /** median: every finished run's values by step. */
    private final Map<Long, TreeMap<Long, Double>> finished = new HashMap<>();
    /** median: each running run's best value so far. */
    private final Map<Long, Double> bestSoFar = new HashMap<>();

    /** In a raced sweep: the race's first seeds, whose runs are never pruned; empty otherwise. */
    private final Set<Long> unprunedSeeds;
    /** In a raced sweep: compare a run at a rung only with the runs queued before it (see the class comment). */
    private final boolean elitist;

    public Pruner(Spec spec) {
        this(spec, null);
    }

    /** The pruner of a sweep raced by {@code race} (elitist, see the class comment), or of an unraced one when null. */
    public Pruner(Spec spec, Race race) {
        this.spec = spec;
        this.elitist = race != null;
        this.unprunedSeeds = race == null ? Set.of()
                : Set.copyOf(race.seeds().subList(0, Math.min(race.first(), race.seeds().size())));
    }

    public Spec spec() {
        return spec;
    }

    /**
     * A run reported {@code value} of the metric at {@code step}.
     *
     * @return why the run should stop, or null to let it go on
     */
    public String report(long runId, long step, double value) {
        return report(runId, 0, step, value);
    }

    /**
     * A run of seed {@code seed} reported {@code value} of the metric at {@code step} (the seed matters to a paired
     * asha pruner only).
     *
     * @return why the run should stop, or null to let it go on
     */
    public String report(long runId, long seed, long step, double value) {
        if (!Double.isFinite(value)) {
            return null;
        }
        String reason = spec.type().equals("asha") ? asha(runId, spec.paired() ? seed : 0, step, value)
                : median(runId, step, value);
        return unprunedSeeds.contains(seed) ? null : reason; // recorded all the same
    }

    /** The race's first seeds, on which this pruner never stops a run (empty when the sweep is not raced). */
    public Set<Long> unprunedSeeds() {
        return unprunedSeeds;
    }

    /** A run finished: its values (steps ascending) join the median's reference; not a candidate any more. */
    public void finished(long runId, long[] steps, double[] values) {
        bestSoFar.remove(runId);
        if (spec.type().equals("median")) {
            TreeMap<Long, Double> byStep = new TreeMap<>();
            for (int i = 0; i < steps.length; i++) {
                if (Double.isFinite(values[i])) {
                    byStep.put(steps[i], values[i]);
                }
            }
            finished.put(runId, byStep);
        }
    }

    private String asha(long runId, long group, long step, double value) {
        // as Ray: the highest rung reached that this run has not been recorded at yet, one rung per report
        int top = -1;
        for (int k = 0; spec.rung(k) <= step && k < 64; k++) {
            top = k;
        }
        for (int k = top; k >= 0; k--) {
            Map<Long, Double> recorded = rungs.computeIfAbsent(group, x -> new HashMap<>())
                    .computeIfAbsent(k, x -> new HashMap<>());
            if (recorded.containsKey(runId)) {
                continue;
            }
            Collection<Double> reference = elitist ? queuedBefore(recorded, runId) : recorded.values();
            Double cutoff = cutoff(reference);
            int compared = reference.size();
            recorded.put(runId, value);
            if (cutoff != null && (spec.maximize() ? value < cutoff : value > cutoff)) {
                return String.format("pruned by asha at rung %d (step %d, rung %d): %s %s %s the cutoff %s of %d "
                                + "run(s) %s%s", k, step, spec.rung(k), spec.metric(), num(value),
                        spec.maximize() ? "below" : "above", num(cutoff),
                        compared,
                        elitist ? "the race ranks above it" : "before it", spec.paired() ? " on seed " + group : "");
            }
            break;
        }
        return null;
    }

    /** The values recorded at a rung by runs queued before {@code runId}. */
    private static List<Double> queuedBefore(Map<Long, Double> recorded, long runId) {
        List<Double> out = new ArrayList<>();
        recorded.forEach((id, v) -> {
            if (id < runId) {
                out.add(v);
            }
        });
        return out;
    }

    /** The (1 - 1/rf) percentile of the values (rf-quantile from the bad side when minimising), linear as numpy. */
    private Double cutoff(java.util.Collection<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double q = spec.maximize() ? 1 - 1.0 / spec.reductionFactor() : 1.0 / spec.reductionFactor();
        return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), q);
    }

    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (at - lo);
    }

    private String median(long runId, long step, double value) {
        Double best = bestSoFar.get(runId);
        best = best == null ? value : spec.maximize() ? Math.max(best, value) : Math.min(best, value);
        bestSoFar.put(runId, best);
        if (finished.size() < Math.max(1, spec.startupTrials()) || step < spec.warmupSteps()) {
            return null;
        }
        List<Double> atStep = new ArrayList<>();
        for (TreeMap<Long, Double> f : finished.values()) {
            Double v = f.get(step);
            if (v != null) {
                atStep.add(v);
            }
        }
        if (atStep.isEmpty()) {
            return null;
        }
        double median = percentile(atStep.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
        if (spec.maximize() ? best < median : best > median) {
            return String.format("pruned by median at step %d: best %s so far %s %s the median %s of %d finished "
                            + "run(s) at that step", step, spec.metric(), num(best), spec.maximize() ? "below" : "above",
                    num(median), atStep.size());
        }
        return null;
    }

    private static String num(double v) {
        return String.format("%.6g", v);
    }
}
