package dev.ludus.platform.query;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.RunRecord;
import java.util.Comparator;
import java.util.List;

/** Reads named values of a run ({@code params.lr}, {@code summary.eval/return_mean}, {@code status}...) for filters and sorting. */
public final class RunValues {

    private static final List<String> PLAIN = List.of("id", "name", "status", "seed", "trial", "attempt", "createdAt",
            "startedAt", "finishedAt", "sweepId", "starred", "archived", "notes");

    private RunValues() {
    }

    static boolean isField(String f) {
        return PLAIN.contains(f) || (f.startsWith("params.") && f.length() > 7)
                || (f.startsWith("summary.") && f.length() > 8);
    }

    /** The value, or null if the run does not have it. */
    public static Object value(RunRecord r, String field) {
        if (field.startsWith("params.")) {
            return r.params().getValue(field.substring(7));
        }
        if (field.startsWith("summary.")) {
            return r.summary() == null ? null : r.summary().getValue(field.substring(8));
        }
        return switch (field) {
            case "id" -> r.id();
            case "name" -> r.name();
            case "status" -> r.status();
            case "seed" -> r.seed();
            case "trial" -> r.trial();
            case "attempt" -> r.attempt();
            case "createdAt" -> r.createdAt();
            case "startedAt" -> r.startedAt();
            case "finishedAt" -> r.finishedAt();
            case "sweepId" -> r.sweepId();
            case "starred" -> r.starred();
            case "archived" -> r.archived();
            case "notes" -> r.notes();
            default -> null;
        };
    }

    /** Orders runs by {@code field}; runs without a value come last whatever the order. */
    public static Comparator<RunRecord> comparator(String field, boolean descending) {
        if (!isField(field)) {
            throw new BadInput("sort", "sort: unknown field '" + field + "'; use id, name, status, seed, createdAt, "
                    + "startedAt, finishedAt, sweepId, starred, archived, params.<name> or summary.<key>");
        }
        Comparator<Object> values = (a, b) -> {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            if (a instanceof Number) {
                return -1;
            }
            if (b instanceof Number) {
                return 1;
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        };
        Comparator<Object> ordered = descending ? values.reversed() : values;
        return (r1, r2) -> {
            Object a = value(r1, field);
            Object b = value(r2, field);
            if (a == null || b == null) {
                return a == null && b == null ? Long.compare(r1.id(), r2.id()) : a == null ? 1 : -1;
            }
            int c = ordered.compare(a, b);
            return c != 0 ? c : Long.compare(r1.id(), r2.id());
        };
    }
}
