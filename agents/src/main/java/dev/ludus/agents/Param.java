package dev.ludus.agents;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One hyperparameter, declared once: name, type, default, valid range or choices, description. Everything
 * else derives from this declaration: parsing and validation of a params map ({@link ParamSet#resolve}),
 * the defaults, {@code Agents.info}, {@code GET /api/agents} (via {@link #spec()}), the sweep parser's
 * checks, the dashboard's launch form and the stored provenance.
 *
 * <pre>{@code
 * public static final Param<Double> LR = Param.real("lr", 2.3e-3, "learning rate").greaterThan(0);
 * public static final Param<Integer> BATCH_SIZE = Param.integer("batch_size", 64, "transitions per gradient step").atLeast(1);
 * public static final Param<Loss> LOSS = Param.choice("loss", Loss.HUBER, "TD loss");   // enum: huber, mse
 * }</pre>
 *
 * <p>Values in params maps are JSON-shaped: {@link Number}, {@link Boolean}, {@link String}, {@link List}.
 * Enum choices are written in lower case ({@code HE_UNIFORM} is {@code "he_uniform"}). Error messages start
 * with the param name: {@code "lr: must be > 0, got -1.0"}.
 *
 * @param <T> {@link Integer}, {@link Long}, {@link Double}, {@link Boolean}, an enum, or {@code int[]}
 */
public final class Param<T> {

    /** The JSON-facing type names ({@link ParamSpec#type()}). */
    public enum Type {
        INT, LONG, DOUBLE, BOOLEAN, CHOICE, INT_LIST;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final String description;
    private final Class<? extends Enum<?>> enumType;
    // numeric bounds (also for each element of an int list); null = unbounded
    private final Double min;
    private final boolean minExclusive;
    private final Double max;
    private final boolean maxExclusive;

    private Param(String name, Type type, T defaultValue, String description, Class<? extends Enum<?>> enumType,
                  Double min, boolean minExclusive, Double max, boolean maxExclusive) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Param.name: must be snake_case, got '" + name + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("Param " + name + ": needs a description");
        }
        this.name = name;
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue, "default of " + name);
        this.description = description;
        this.enumType = enumType;
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
    }

    public static Param<Integer> integer(String name, int defaultValue, String description) {
        return new Param<>(name, Type.INT, defaultValue, description, null, null, false, null, false);
    }

    public static Param<Long> longInteger(String name, long defaultValue, String description) {
        return new Param<>(name, Type.LONG, defaultValue, description, null, null, false, null, false);
    }

    /** A finite double (NaN and infinities are always rejected). */
    public static Param<Double> real(String name, double defaultValue, String description) {
        return new Param<>(name, Type.DOUBLE, defaultValue, description, null, null, false, null, false);
    }

    public static Param<Boolean> flag(String name, boolean defaultValue, String description) {
        return new Param<>(name, Type.BOOLEAN, defaultValue, description, null, null, false, null, false);
    }

    /** One of the constants of {@code defaultValue}'s enum, written in lower case. */
    @SuppressWarnings("unchecked")
    public static <E extends Enum<E>> Param<E> choice(String name, E defaultValue, String description) {
        return new Param<>(name, Type.CHOICE, defaultValue, description,
            (Class<? extends Enum<?>>) defaultValue.getDeclaringClass(), null, false, null, false);
    }

    /** A list of ints (also accepted: one number, or a comma-separated string such as {@code "64,64"}). */
    public static Param<int[]> intList(String name, int[] defaultValue, String description) {
        return new Param<>(name, Type.INT_LIST, defaultValue.clone(), description, null, null, false, null, false);
    }

    // ---- ranges: each returns a new declaration; the default is checked against the range ----

    /** value >= bound */
    public Param<T> atLeast(double bound) {
        return bounded(bound, false, max, maxExclusive);
    }

    /** value > bound */
    public Param<T> greaterThan(double bound) {
        return bounded(bound, true, max, maxExclusive);
    }

    /** value <= bound */
    public Param<T> atMost(double bound) {
        return bounded(min, minExclusive, bound, false);
    }

    /** value < bound */
    public Param<T> lessThan(double bound) {
        return bounded(min, minExclusive, bound, true);
    }

    private Param<T> bounded(Double lo, boolean loExclusive, Double hi, boolean hiExclusive) {
        if (type == Type.BOOLEAN || type == Type.CHOICE) {
            throw new IllegalStateException("Param " + name + ": a " + type.jsonName() + " has no range");
        }
        Param<T> p = new Param<>(name, type, defaultValue, description, enumType, lo, loExclusive, hi, hiExclusive);
        p.parse(p.defaultValue); // a default outside its own range is a declaration bug
        return p;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public T defaultValue() {
        return type == Type.INT_LIST ? copy(defaultValue) : defaultValue;
    }

    public String description() {
        return description;
    }

    /** Lower bound or null. */
    public Double min() {
        return min;
    }

    public boolean minExclusive() {
        return minExclusive;
    }

    /** Upper bound or null. */
    public Double max() {
        return max;
    }

    public boolean maxExclusive() {
        return maxExclusive;
    }

    /** The choices of a {@link Type#CHOICE} param as written in params maps (lower case), else empty. */
    public List<String> choices() {
        if (enumType == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Enum<?> e : enumType.getEnumConstants()) {
            out.add(e.name().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The range as people write it: {@code "> 0"}, {@code "in (0, 1]"}, {@code ">= 1"}, or {@code ""}. */
    public String rangeText() {
        if (min != null && max != null) {
            return "in " + (minExclusive ? "(" : "[") + number(min) + ", " + number(max) + (maxExclusive ? ")" : "]");
        }
        if (min != null) {
            return (minExclusive ? "> " : ">= ") + number(min);
        }
        if (max != null) {
            return (maxExclusive ? "< " : "<= ") + number(max);
        }
        return "";
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * Reads and checks one raw value (JSON-shaped, or already of type {@code T}).
     *
     * @throws IllegalArgumentException starting with the param name
     */
    @SuppressWarnings("unchecked")
    public T parse(Object raw) {
        if (raw == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        Object value = switch (type) {
            case INT -> {
                long v = toLong(raw, "an integer");
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name + ": must be an integer, got " + describe(raw));
                }
                checkRange(v, raw);
                yield (int) v;
            }
            case LONG -> {
                long v = toLong(raw, "an integer");
                checkRange(v, raw);
                yield v;
            }
            case DOUBLE -> {
                double v = toDouble(raw);
                checkRange(v, raw);
                yield v;
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                    yield Boolean.parseBoolean(s.trim());
                }
                throw new IllegalArgumentException(name + ": must be true or false, got " + describe(raw));
            }
            case CHOICE -> {
                if (enumType.isInstance(raw)) {
                    yield raw;
                }
                if (raw instanceof String s) {
                    for (Enum<?> e : enumType.getEnumConstants()) {
                        if (e.name().equalsIgnoreCase(s.trim())) {
                            yield e;
                        }
                    }
                }
                throw new IllegalArgumentException(name + ": must be one of " + String.join(", ", choices()) + ", got "
                    + describe(raw));
            }
            case INT_LIST -> parseIntList(raw);
        };
        return (T) value;
    }

    private int[] parseIntList(Object raw) {
        List<?> items;
        if (raw instanceof int[] array) {
            items = Arrays.stream(array).boxed().toList();
        } else if (raw instanceof List<?> list) {
            items = list;
        } else if (raw instanceof Number) {
            items = List.of(raw);
        } else if (raw instanceof String s) {
            List<Object> parts = new ArrayList<>();
            for (String part : s.replace("[", "").replace("]", "").split(",")) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
            items = parts;
        } else {
            throw new IllegalArgumentException(name + ": must be a list of integers, got " + describe(raw));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(name + ": must be a non-empty list of integers, got " + describe(raw));
        }
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            long v = toLong(items.get(i), "a list of integers");
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || !inRange(v)) {
                throw new IllegalArgumentException(name + ": every element must be " + rangeText() + ", got "
                    + describe(raw));
            }
            out[i] = (int) v;
        }
        return out;
    }

    private long toLong(Object raw, String what) {
        if (raw instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": must be " + what + ", got " + describe(raw));
            }
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        throw new IllegalArgumentException(name + ": must be " + what + ", got " + describe(raw));
    }

    private double toDouble(Object raw) {
        double v;
        if (raw instanceof Number n) {
            v = n.doubleValue();
        } else if (raw instanceof String s) {
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": must be a number, got " + describe(raw));
            }
        } else {
            throw new IllegalArgumentException(name + ": must be a number, got " + describe(raw));
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": must be finite, got " + v);
        }
        return v;
    }

    private boolean inRange(double v) {
        return (min == null || (minExclusive ? v > min : v >= min)) && (max == null || (maxExclusive ? v < max : v <= max));
    }

    private void checkRange(double v, Object raw) {
        if (!inRange(v)) {
            throw new IllegalArgumentException(name + ": must be " + rangeText() + ", got " + raw);
        }
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : value instanceof int[] a ? Arrays.toString(a) : String.valueOf(value);
    }

    /** The value as JSON-shaped data: numbers, booleans, lower-case choice names, lists of ints. */
    public Object toJson(T value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        return value;
    }

    /** The JSON-facing description ({@code GET /api/agents}, the launch form). */
    public ParamSpec spec() {
        return new ParamSpec(name, type.jsonName(), toJson(defaultValue), description, min, minExclusive, max,
            maxExclusive, choices());
    }

    @SuppressWarnings("unchecked")
    private T copy(T value) {
        return value instanceof int[] a ? (T) a.clone() : value;
    }

    @Override
    public String toString() {
        String range = rangeText();
        return name + " (" + type.jsonName() + ", default " + toJson(defaultValue) + (range.isEmpty() ? "" : ", " + range)
            + (enumType == null ? "" : ", one of " + String.join(", ", choices())) + "): " + description;
    }
}
