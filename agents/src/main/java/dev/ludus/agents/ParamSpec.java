package dev.ludus.agents;

import java.util.List;
import java.util.Objects;

/**
 * One hyperparameter an agent accepts, as the platform lists it ({@code GET /api/agents}) and checks
 * sweep files against.
 *
 * @param name         snake_case name used in params maps, e.g. {@code batch_size}
 * @param type         one of {@link #INT}, {@link #DOUBLE}, {@link #BOOLEAN}, {@link #STRING}, {@link #INT_LIST}
 * @param defaultValue JSON-shaped default ({@link Number}, {@link Boolean}, {@link String} or a {@link List} of ints)
 * @param description  what it does, its valid range and choices
 */
public record ParamSpec(String name, String type, Object defaultValue, String description) {
    public static final String INT = "int";
    public static final String DOUBLE = "double";
    public static final String BOOLEAN = "boolean";
    public static final String STRING = "string";
    public static final String INT_LIST = "int_list";

    private static final List<String> TYPES = List.of(INT, DOUBLE, BOOLEAN, STRING, INT_LIST);

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("ParamSpec.type: must be one of " + TYPES + ", got " + type);
        }
        if (defaultValue instanceof List<?> list) {
            defaultValue = List.copyOf(list);
        }
    }
}
