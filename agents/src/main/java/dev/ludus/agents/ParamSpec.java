package dev.ludus.agents;

import java.util.List;
import java.util.Objects;

/**
 * The JSON-facing description of one {@link Param}, as {@code GET /api/agents} lists it and the dashboard's
 * launch form shows it. Derived from the declaration ({@link Param#spec()}), never written by hand.
 *
 * @param name         snake_case name used in params maps, e.g. {@code batch_size}
 * @param type         {@code int}, {@code long}, {@code double}, {@code boolean}, {@code choice} or {@code int_list}
 * @param defaultValue JSON-shaped default ({@link Number}, {@link Boolean}, {@link String} or a {@link List} of ints)
 * @param description  what it does
 * @param min          lower bound, or null
 * @param minExclusive whether {@code min} itself is excluded
 * @param max          upper bound, or null
 * @param maxExclusive whether {@code max} itself is excluded
 * @param choices      the accepted values of a {@code choice}, else empty
 */
public record ParamSpec(String name, String type, Object defaultValue, String description, Double min,
                        boolean minExclusive, Double max, boolean maxExclusive, List<String> choices) {
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (defaultValue instanceof List<?> list) {
            defaultValue = List.copyOf(list);
        }
        choices = List.copyOf(choices);
    }
}
