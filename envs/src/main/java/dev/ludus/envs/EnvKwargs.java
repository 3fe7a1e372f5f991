package dev.ludus.envs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments an {@link EnvSpec#entryPoint()} builds its env from: the spec's defaults
 * overridden by the caller's values. The typed getters convert JSON-like values (numbers, strings,
 * booleans, lists of strings) and throw an {@link EnvKwargException} naming the argument when a value
 * has the wrong type, so an entry point reads each argument once and validates its range itself with
 * {@link #invalid(String, String)}.
 */
public final class EnvKwargs {
    private final String envId;
    private final Map<String, Object> values;

    private EnvKwargs(String envId, Map<String, Object> values) {
        this.envId = envId;
        this.values = values;
    }

    /**
     * The spec's defaults overridden by {@code overrides}.
     *
     * @throws EnvKwargException for a name the spec does not declare, listing the ones it does
     */
    static EnvKwargs resolve(EnvSpec spec, Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(spec.kwargs());
        if (overrides != null) {
            for (Map.Entry<String, ?> e : overrides.entrySet()) {
                if (!spec.kwargs().containsKey(e.getKey())) {
                    throw new EnvKwargException(String.valueOf(e.getKey()), "unknown keyword argument for " + spec.id()
                            + (spec.kwargs().isEmpty() ? ", which takes none"
                            : "; it takes " + String.join(", ", spec.kwargs().keySet())));
                }
                merged.put(e.getKey(), e.getValue());
            }
        }
        return new EnvKwargs(spec.id(), Collections.unmodifiableMap(merged));
    }

    /** The id of the env being made. */
    public String envId() {
        return envId;
    }

    /** All values, defaults included. */
    public Map<String, Object> values() {
        return values;
    }

    /** The raw value (possibly null). */
    public Object get(String name) {
        requireDeclared(name);
        return values.get(name);
    }

    /** A boolean value. */
    public boolean bool(String name) {
        Object v = get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        throw invalid(name, "must be true or false, got " + describe(v));
    }

    /** A finite number. */
    public double number(String name) {
        Object v = get(name);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw invalid(name, "must be a finite number, got " + describe(v));
    }

    /** An integer (a whole number within int range). */
    public int integer(String name) {
        Object v = get(name);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw invalid(name, "must be an integer, got " + describe(v));
    }

    /** A string, or {@code null} when the value is null. */
    public String string(String name) {
        Object v = get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw invalid(name, "must be a string, got " + describe(v));
    }

    /** A list of strings, or {@code null} when the value is null. */
    public List<String> strings(String name) {
        Object v = get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw invalid(name, "must be a list of strings, got " + describe(v));
                }
                out.add(s);
            }
            return List.copyOf(out);
        }
        throw invalid(name, "must be a list of strings, got " + describe(v));
    }

    /** The exception for a value an entry point rejects, e.g. {@code invalid("map_name", "must be 4x4 or 8x8")}. */
    public EnvKwargException invalid(String name, String problem) {
        return new EnvKwargException(name, problem);
    }

    private void requireDeclared(String name) {
        if (!values.containsKey(name)) {
            // a bug in the entry point, not in the caller's input
            throw new IllegalStateException("the entry point of " + envId + " reads keyword argument '" + name
                    + "', which its EnvSpec does not declare");
        }
    }

    private static String describe(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    @Override
    public String toString() {
        return envId + values;
    }
}
