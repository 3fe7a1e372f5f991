package dev.ludus.platform.query;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.Store;
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

    /** {@code key,step,wall,value} for the given keys (all of the run's when null). */
    public static String metricsCsv(Store store, long runId, List<String> keys) {
        StringBuilder b = new StringBuilder("key,step,wall,value\n");
        for (String key : keys == null ? store.keys(runId) : keys) {
            Store.Series s = store.series(runId, key);
            String k = field(key);
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
