package dev.ludus.platform.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's configurations ranked by their mean final metric over seeds, with n and a 95% Student-t
 * interval of the mean: what {@code ./ludus best} prints and the dashboard's leaderboard shows (same
 * rule, same numbers). Only finished runs with a finite value of the metric count.
 */
final class Leaderboard {
    /** Summary keys worth ranking by, best first, when no {@code --metric} is given. */
    static final List<String> PREFERRED = List.of("eval/return_mean", "test/accuracy", "val/accuracy", "episode/return", "train/loss");

    private Leaderboard() {
    }

    /** One configuration: its params, the runs of its seeds and their values. */
    record Row(int rank, JsonObject params, List<Long> runIds, List<Double> values, double mean, double std, double lo, double hi) {
        int n() {
            return values.size();
        }

        JsonObject toJson() {
            return new JsonObject().put("rank", rank).put("params", params).put("n", n()).put("mean", finite(mean))
                    .put("std", finite(std)).put("ci95", n() > 1 ? new JsonArray().add(lo).add(hi) : null)
                    .put("runs", new JsonArray(new ArrayList<>(runIds))).put("values", new JsonArray(new ArrayList<>(values)));
        }
    }

    static boolean lowerIsBetter(String metric) {
        return metric.toLowerCase(Locale.ROOT).matches(".*(loss|error|length|regret|time).*");
    }

    /** The metric to rank by when none is given: a preferred key that finished runs report, else the first. */
    static String defaultMetric(List<String> reported) {
        return PREFERRED.stream().filter(reported::contains).findFirst().orElse(reported.isEmpty() ? null : reported.get(0));
    }

    /** Summary keys with a finite value in at least one finished run, sorted. */
    static List<String> reportedMetrics(JsonArray runs) {
        TreeMap<String, Boolean> keys = new TreeMap<>();
        for (JsonObject r : finished(runs)) {
            JsonObject s = r.getJsonObject("summary");
            if (s != null) {
                s.fieldNames().stream().filter(k -> s.getValue(k) instanceof Number n && Double.isFinite(n.doubleValue()))
                        .forEach(k -> keys.put(k, true));
            }
        }
        return new ArrayList<>(keys.keySet());
    }

    static List<Row> rank(JsonArray runs, String metric, boolean higherIsBetter) {
        Map<String, List<JsonObject>> groups = new LinkedHashMap<>();
        for (JsonObject r : finished(runs)) {
            JsonObject s = r.getJsonObject("summary");
            if (s != null && s.getValue(metric) instanceof Number n && Double.isFinite(n.doubleValue())) {
                // the params' canonical form: key order must not split a configuration
                JsonObject params = r.getJsonObject("params", new JsonObject());
                groups.computeIfAbsent(new TreeMap<>(params.getMap()).toString(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (List<JsonObject> g : groups.values()) {
            List<Double> values = g.stream().map(r -> r.getJsonObject("summary").getNumber(metric).doubleValue()).toList();
            int n = values.size();
            double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
            double std = Double.NaN, lo = Double.NaN, hi = Double.NaN;
            if (n > 1) {
                double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
                std = Math.sqrt(ss / (n - 1));
                double half = tCritical95(n - 1) * std / Math.sqrt(n);
                lo = mean - half;
                hi = mean + half;
            }
            rows.add(new Row(0, g.get(0).getJsonObject("params", new JsonObject()), g.stream().map(r -> r.getLong("id")).toList(),
                    values, mean, std, lo, hi));
        }
        Comparator<Row> byMean = Comparator.comparingDouble(Row::mean);
        rows.sort((higherIsBetter ? byMean.reversed() : byMean).thenComparing(Comparator.comparingInt(Row::n).reversed()));
        List<Row> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            ranked.add(new Row(i + 1, r.params(), r.runIds(), r.values(), r.mean(), r.std(), r.lo(), r.hi()));
        }
        return ranked;
    }

    private static List<JsonObject> finished(JsonArray runs) {
        return runs.stream().map(JsonObject.class::cast).filter(r -> "finished".equals(r.getString("status"))).toList();
    }

    // Two-sided 95% Student-t critical values for 1..30 degrees of freedom (as the dashboard's stats.js).
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281,
        2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

    /** The 0.975 quantile of Student's t: the table to 30 degrees of freedom, a Cornish-Fisher expansion beyond. */
    static double tCritical95(int df) {
        if (df <= 30) {
            return T975[df - 1];
        }
        double z = 1.959963984540054;
        double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
