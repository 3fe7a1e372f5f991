package dev.ludus.platform.query;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.Series;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** CSV exports shared by the API and the CLI (RFC 4180 quoting). */
public final class Exports {

    private Exports() {
    }

    public static String runsCsv(List<RunRecord> runs) {
        Set<String> params = new TreeSet<>();
        Set<String> summary = new TreeSet<>();
        for (RunRecord r : runs) {
            params.addAll(r.params().fieldNames());
            if (r.summary() != null) {
                summary.addAll(r.summary().fieldNames());
            }
        }
        StringBuilder b = new StringBuilder("id,name,seed,status,error,createdAt,startedAt,finishedAt");
        params.forEach(p -> b.append(',').append(field("params." + p)));
        summary.forEach(s -> b.append(',').append(field("summary." + s)));
        b.append('\n');
        for (RunRecord r : runs) {
            b.append(r.id()).append(',').append(field(r.name())).append(',').append(r.seed()).append(',')
                    .append(r.status()).append(',').append(field(r.error())).append(',').append(r.createdAt())
                    .append(',').append(value(r.startedAt())).append(',').append(value(r.finishedAt()));
            params.forEach(p -> b.append(',').append(value(r.params().getValue(p))));
            summary.forEach(s -> b.append(',').append(value(r.summary() == null ? null : r.summary().getValue(s))));
            b.append('\n');
        }
        return b.toString();
    }

    /** The series of the given keys of a run (all of its keys when null), in key order. */
    public static Future<List<Series>> series(RunStore store, long runId, List<String> keys) {
        Future<List<String>> names = keys == null ? store.metricKeys(runId) : Future.succeededFuture(keys);
        return names.compose(ks -> {
            List<Future<Series>> all = new ArrayList<>();
            for (String k : ks) {
                all.add(store.series(runId, k));
            }
            return Future.all(all).map(done -> all.stream().map(Future::result).toList());
        });
    }

    /** {@code key,step,wall,value}, one line per point. */
    public static String metricsCsv(List<Series> series) {
        StringBuilder b = new StringBuilder("key,step,wall,value\n");
        for (Series s : series) {
            String k = field(s.key());
            for (int i = 0; i < s.steps().length; i++) {
                b.append(k).append(',').append(s.steps()[i]).append(',').append(s.walls()[i]).append(',')
                        .append(s.values()[i]).append('\n');
            }
        }
        return b.toString();
    }

    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static String value(Object v) {
        return v == null ? "" : field(String.valueOf(v));
    }
}
