package dev.ludus.agents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated values of every param of a {@link ParamSet} (defaults included), read by the typed declaration:
 * {@code values.get(DqnConfig.LR)}. Immutable. {@link #toMap()} is the JSON-shaped form stored as a run's
 * resolved params (provenance): re-resolving it gives equal values.
 */
public final class ParamValues {

    private final ParamSet set;
    private final Map<Param<?>, Object> values;

    ParamValues(ParamSet set, Map<Param<?>, Object> values) {
        this.set = set;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** @throws IllegalArgumentException if {@code param} is not one of this set's declarations */
    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> param) {
        if (!values.containsKey(param)) {
            throw new IllegalArgumentException("param " + param.name() + " is not declared in this set ("
                + String.join(", ", set.names()) + ")");
        }
        Object v = values.get(param);
        return v instanceof int[] a ? (T) a.clone() : (T) v;
    }

    /** The value of the param called {@code name}, if declared (e.g. {@code n_envs}), else null. */
    public Object find(String name) {
        Param<?> p = set.find(name);
        return p == null ? null : values.get(p);
    }

    public ParamSet set() {
        return set;
    }

    /** Every value, JSON-shaped, in declaration order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((p, v) -> out.put(p.name(), ((Param) p).toJson(v)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamValues other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
