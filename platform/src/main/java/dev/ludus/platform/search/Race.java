package dev.ludus.platform.search;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.SweepPlan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed racing ({@code "racing": {"seeds": [...], "first": 3, "test": "wilcoxon"|"friedman", "confidence": 0.95,
 * "objective": ..., "direction": ...}}): every configuration of a grid or random sweep starts on the first seeds;
 * when a round's runs have all ended, the configurations statistically worse than the best (paired by seed) are
 * eliminated and the survivors run on the next seed ({@link #state}). Under TPE, whose configurations come one at a
 * time, each configuration races the incumbent instead ({@link #challenges}). Run {@code trial} = configuration x seeds.size() + seed index,
 * so the whole race is read back from the runs (nothing else is stored).
 */
public record Race(String name, List<Long> seeds, int first, String test, double confidence, String objective,
                   boolean maximize) {

    public Race {
        seeds = List.copyOf(seeds);
    }

    /** The stored sweep's race, or null when it is not raced. */
    public static Race of(JsonObject definition) {
        JsonObject r = definition.getJsonObject("racing");
        if (r == null) {
            return null;
        }
        List<Long> seeds = new ArrayList<>();
        r.getJsonArray("seeds").forEach(s -> seeds.add(((Number) s).longValue()));
        JsonObject search = definition.getJsonObject("search", new JsonObject());
        String objective = r.getString("objective", search.getString("objective"));
        String direction = r.getString("direction", search.getString("direction", "maximize"));
        return new Race(definition.getString("name"), seeds, r.getInteger("first", Math.min(3, seeds.size())),
                r.getString("test", "wilcoxon"), r.getDouble("confidence", 0.95), objective,
                !"minimize".equals(direction));
    }

    /** One configuration eliminated after a round, and why. */
    public record Elimination(int configuration, int round, int seedsUsed, String reason) {
    }

    /** The race as its runs leave it. */
    public record State(int configurations, List<Integer> alive, List<Elimination> eliminated, int seedsUsed,
                        boolean roundComplete, boolean done, Map<Integer, double[]> values,
                        List<SweepPlan.PlannedRun> due, Map<Integer, JsonObject> params) {
    }

    /** Each trial's latest attempt, each configuration's params (trial / seeds), and how many configurations there are. */
    private record Trials(Map<Integer, RunRecord> latest, Map<Integer, JsonObject> params, int configurations) {
        static Trials of(List<RunRecord> runs, int seeds) {
            Map<Integer, RunRecord> latest = new HashMap<>();
            Map<Integer, JsonObject> params = new LinkedHashMap<>();
            for (RunRecord r : runs) {
                RunRecord before = latest.get(r.trial());
                if (before == null || before.attempt() <= r.attempt()) {
                    latest.put(r.trial(), r);
                }
                params.putIfAbsent(r.trial() / seeds, r.params());
            }
            int configurations = params.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            return new Trials(latest, params, configurations);
        }
    }

    /** Replays the race from the sweep's runs: rounds, eliminations, and the runs due now. */
    public State state(List<RunRecord> runs) {
        int s = seeds.size();
        Trials trials = Trials.of(runs, s);
        Map<Integer, RunRecord> latest = trials.latest();
        Map<Integer, JsonObject> params = trials.params();
        int configurations = trials.configurations();
        List<Integer> alive = new ArrayList<>();
        for (int c = 0; c < configurations; c++) {
            alive.add(c);
        }
        List<Elimination> eliminated = new ArrayList<>();
        Map<Integer, double[]> values = new HashMap<>();
        int n = Math.min(first, s);
        int round = 0;
        Map<Integer, Double> standing = Map.of(); // each survivor's mean over the seeds of the last complete round
        while (true) {
            alive = withoutPruned(alive, latest, n, round, eliminated);
            List<SweepPlan.PlannedRun> due = new ArrayList<>();
            boolean complete = true;
            for (int c : alive) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    RunRecord r = latest.get(c * s + i);
                    if (r == null) {
                        complete = false;
                        due.add(new SweepPlan.PlannedRun(c * s + i, name + "-" + (c + 1) + "-s" + seeds.get(i),
                                params.get(c), seeds.get(i)));
                    } else if (!r.ended()) {
                        complete = false;
                    } else {
                        v[i] = value(r);
                    }
                }
                values.put(c, v);
            }
            if (!complete) {
                return new State(configurations, alive, eliminated, n, false, false, values, bestFirst(due, standing),
                        params);
            }
            alive = eliminate(alive, values, n, round, eliminated);
            if (n >= s || alive.size() <= 1) { // none left only when pruning stopped a run of every configuration
                return new State(configurations, alive, eliminated, n, true, true, values, List.of(), params);
            }
            Map<Integer, Double> means = new HashMap<>();
            for (int c : alive) {
                means.put(c, mean(values.get(c)));
            }
            standing = means;
            n++;
            round++;
        }
    }

    /**
     * A round's runs in the order the sweep should start them: best first by the race's standing after the previous
     * round (ties by configuration), so under a pruner the incumbent's run is the first of its seed at every rung and
     * is the one never stopped (elitist racing; see {@link Pruner}). The runs are queued, and so dispatched, in this
     * order. The first round has no standing: configuration order.
     */
    private List<SweepPlan.PlannedRun> bestFirst(List<SweepPlan.PlannedRun> due, Map<Integer, Double> standing) {
        if (standing.isEmpty()) {
            return due;
        }
        int s = seeds.size();
        List<SweepPlan.PlannedRun> sorted = new ArrayList<>(due);
        sorted.sort(Comparator.<SweepPlan.PlannedRun>comparingDouble(
                        r -> -standing.getOrDefault(r.trial() / s, Double.NEGATIVE_INFINITY))
                .thenComparingInt(SweepPlan.PlannedRun::trial));
        return sorted;
    }

    /**
     * Racing under TPE, where configurations arrive one at a time: each races the incumbent rather than a field.
     * Configuration c, once its runs on the first n seeds (n = first, first + 1, ...) have all ended, is compared
     * with the incumbent at n: the best, by mean over those n seeds, of the earlier configurations that survived
     * their own round of n seeds. If it is worse by the one-sided Wilcoxon signed-rank test (paired by seed) it is
     * eliminated; otherwise it runs on the next seed. The decision waits until every earlier configuration has
     * settled its round of n seeds (eliminated by then, or survived it), so it depends on the runs alone: replaying
     * them after a restart makes the decisions the live study made. The earliest undecided configuration never
     * waits, so the race always moves.
     */
    public State challenges(List<RunRecord> runs) {
        int s = seeds.size();
        Trials trials = Trials.of(runs, s);
        Map<Integer, RunRecord> latest = trials.latest();
        Map<Integer, JsonObject> params = trials.params();
        int configurations = trials.configurations();
        int n0 = Math.min(first, s);
        int[] eliminatedAt = new int[configurations]; // the seeds it had when eliminated; 0 while alive
        int[] survivedThrough = new int[configurations]; // the largest round (in seeds) it survived
        List<Elimination> eliminated = new ArrayList<>();
        Map<Integer, double[]> values = new HashMap<>();
        List<SweepPlan.PlannedRun> due = new ArrayList<>();
        int seedsUsed = 0;
        boolean done = true;
        double alpha = 1 - confidence;
        for (int c = 0; c < configurations; c++) {
            List<Double> ended = new ArrayList<>(); // its values on seeds 0, 1, ... as far as they all ended
            for (int i = 0; i < s; i++) {
                RunRecord r = latest.get(c * s + i);
                if (r == null || !r.ended() || r.status().equals("pruned")) {
                    break;
                }
                ended.add(value(r));
            }
            values.put(c, ended.stream().mapToDouble(Double::doubleValue).toArray());
            seedsUsed = Math.max(seedsUsed, ended.size());
            int n = n0;
            while (true) {
                RunRecord pruned = prunedRun(latest, c, n);
                if (pruned != null) { // it lost a seed of this round: out at once (see withoutPruned)
                    eliminatedAt[c] = n;
                    eliminated.add(new Elimination(c, n - n0, n, prunedReason(pruned)));
                    break;
                }
                if (ended.size() < n) { // this round's runs: queue the missing ones, wait for the rest
                    for (int i = 0; i < n; i++) {
                        if (latest.get(c * s + i) == null) {
                            due.add(new SweepPlan.PlannedRun(c * s + i, name + "-" + (c + 1) + "-s" + seeds.get(i),
                                    params.get(c), seeds.get(i)));
                        }
                    }
                    done = false;
                    break;
                }
                boolean settled = true;
                int incumbent = -1;
                for (int e = 0; e < c && settled; e++) {
                    settled = (eliminatedAt[e] > 0 && eliminatedAt[e] <= n) || survivedThrough[e] >= n;
                    if (survivedThrough[e] >= n
                            && (incumbent < 0 || prefixMean(values.get(e), n) > prefixMean(values.get(incumbent), n))) {
                        incumbent = e;
                    }
                }
                if (!settled) {
                    done = false; // an earlier configuration is still on this round: decide after it
                    break;
                }
                double[] mine = java.util.Arrays.copyOf(values.get(c), n);
                if (incumbent >= 0 && mean(mine) < prefixMean(values.get(incumbent), n)) {
                    double p = RaceTests.wilcoxonGreater(finite(java.util.Arrays.copyOf(values.get(incumbent), n)),
                            finite(mine));
                    if (p < alpha) {
                        eliminatedAt[c] = n;
                        eliminated.add(new Elimination(c, n - n0, n, String.format("Wilcoxon signed-rank (one-sided, "
                                + "%d seeds) p = %.4g < %.3g against the incumbent, configuration %d", n, p, alpha,
                                incumbent + 1)));
                        break;
                    }
                }
                survivedThrough[c] = n;
                if (n >= s) {
                    break;
                }
                n++;
            }
        }
        List<Integer> alive = new ArrayList<>();
        for (int c = 0; c < configurations; c++) {
            if (eliminatedAt[c] == 0) {
                alive.add(c);
            }
        }
        return new State(configurations, alive, eliminated, seedsUsed, false, done, values, due, params);
    }

    /**
     * Configurations with a run on one of their first {@code n} seeds that the sweep's pruner stopped are eliminated
     * at once: the configuration has lost that seed, and a pruner stops a run only when it is worse than its peers at
     * the same step. As irace's capping does with a run stopped at its bound, the configuration leaves the race (it
     * is not scored: a pruned run has no final value, and ranking it last on a guess would let a configuration
     * with a stopped run still win). The run's status is stored, so this too is a function of the runs.
     */
    private List<Integer> withoutPruned(List<Integer> alive, Map<Integer, RunRecord> latest, int n, int round,
                                        List<Elimination> out) {
        List<Integer> kept = new ArrayList<>();
        for (int c : alive) {
            RunRecord pruned = prunedRun(latest, c, n);
            if (pruned == null) {
                kept.add(c);
            } else {
                out.add(new Elimination(c, round, n, prunedReason(pruned)));
            }
        }
        return kept;
    }

    /** The first of configuration c's runs on its first n seeds that ended pruned, or null. */
    private RunRecord prunedRun(Map<Integer, RunRecord> latest, int c, int n) {
        int s = seeds.size();
        for (int i = 0; i < n; i++) {
            RunRecord r = latest.get(c * s + i);
            if (r != null && r.status().equals("pruned")) {
                return r;
            }
        }
        return null;
    }

    private static String prunedReason(RunRecord r) {
        return "its run on seed " + r.seed() + " was pruned" + (r.error() == null ? "" : " (" + r.error() + ")");
    }

    private static double prefixMean(double[] v, int n) {
        return mean(java.util.Arrays.copyOf(v, n));
    }

    /** A run's objective; the worst possible when it ended without one (failed, diverged, pruned without value). */
    private double value(RunRecord r) {
        if (r.status().equals("finished") && r.summary() != null && r.summary().getValue(objective) instanceof Number v
                && Double.isFinite(v.doubleValue())) {
            return maximize ? v.doubleValue() : -v.doubleValue(); // internally: higher is better
        }
        return Double.NEGATIVE_INFINITY;
    }

    private List<Integer> eliminate(List<Integer> alive, Map<Integer, double[]> values, int n, int round,
                                    List<Elimination> out) {
        if (alive.size() < 2) {
            return alive;
        }
        int best = alive.get(0);
        for (int c : alive) {
            if (mean(values.get(c)) > mean(values.get(best))) {
                best = c;
            }
        }
        double alpha = 1 - confidence;
        List<Integer> survivors = new ArrayList<>();
        if (test.equals("friedman") && alive.size() > 2) {
            double[][] table = new double[n][alive.size()];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < alive.size(); j++) {
                    table[i][j] = finiteForRanking(values.get(alive.get(j))[i]);
                }
            }
            RaceTests.Friedman f = RaceTests.friedman(table, alpha);
            int bestIndex = alive.indexOf(best);
            for (int j = 0; j < alive.size(); j++) {
                int c = alive.get(j);
                double gap = f.rankSums()[j] - f.rankSums()[bestIndex];
                if (c != best && f.pValue() < alpha && gap > f.criticalDifference()) {
                    out.add(new Elimination(c, round, n, String.format("Friedman p = %.4g < %.3g and its rank sum %.1f "
                                    + "exceeds the best's (configuration %d) %.1f by more than %.2f", f.pValue(), alpha,
                            f.rankSums()[j], best + 1, f.rankSums()[bestIndex], f.criticalDifference())));
                } else {
                    survivors.add(c);
                }
            }
            return survivors;
        }
        for (int c : alive) {
            if (c == best) {
                survivors.add(c);
                continue;
            }
            double p = RaceTests.wilcoxonGreater(finite(values.get(best)), finite(values.get(c)));
            if (p < alpha) {
                out.add(new Elimination(c, round, n, String.format("Wilcoxon signed-rank (one-sided, %d seeds) p = %.4g "
                        + "< %.3g against the best, configuration %d", n, p, alpha, best + 1)));
            } else {
                survivors.add(c);
            }
        }
        return survivors;
    }

    private static double finiteForRanking(double v) {
        return v == Double.NEGATIVE_INFINITY ? -Double.MAX_VALUE : v;
    }

    private static double[] finite(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = finiteForRanking(v[i]);
        }
        return out;
    }

    /** The mean, or -infinity when a run ended without a value (such a configuration is never the best). */
    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            if (x == Double.NEGATIVE_INFINITY) {
                return x;
            }
            s += x;
        }
        return s / v.length;
    }

    /** What {@code GET /api/sweeps/:id/search} shows of a race. */
    public JsonObject report(List<RunRecord> runs) {
        return report(runs, state(runs));
    }

    /** The report of a race replayed by {@link #state} (a field) or {@link #challenges} (TPE's configurations). */
    public JsonObject report(List<RunRecord> runs, State st) {
        JsonArray survivors = new JsonArray();
        List<Integer> ranked = new ArrayList<>(st.alive());
        ranked.sort((a, b) -> Double.compare(mean(st.values().get(b)), mean(st.values().get(a))));
        for (int c : ranked) {
            double[] v = st.values().get(c);
            double[] external = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                external[i] = maximize ? v[i] : -v[i];
            }
            double[] ci = RaceTests.meanAndHalfWidth(external, confidence);
            survivors.add(new JsonObject().put("configuration", c + 1).put("params", st.params().get(c))
                    .put("mean", finiteOrNull(ci[0])).put("ciHalfWidth", finiteOrNull(ci[1])).put("n", v.length));
        }
        JsonArray eliminations = new JsonArray();
        for (Elimination e : st.eliminated()) {
            eliminations.add(new JsonObject().put("configuration", e.configuration() + 1).put("round", e.round() + 1)
                    .put("seeds", e.seedsUsed()).put("params", st.params().get(e.configuration())).put("reason", e.reason()));
        }
        return new JsonObject().put("method", "racing").put("objective", objective)
                .put("direction", maximize ? "maximize" : "minimize").put("test", test).put("confidence", confidence)
                .put("configurations", st.configurations()).put("seedsUsed", st.seedsUsed()).put("done", st.done())
                .put("survivors", survivors).put("eliminated", eliminations);
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
