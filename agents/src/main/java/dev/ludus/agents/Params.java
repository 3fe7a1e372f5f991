package dev.ludus.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON-shaped params map ({@link Number}, {@link Boolean}, {@link String}, {@link List}) against
 * an agent's {@link ParamSpec}s: absent params take their default, unknown ones and values of the wrong
 * type are rejected with an {@link IllegalArgumentException} whose message starts with the param name.
 */
public final class Params {

    private final String agent;
    private final Map<String, Object> values;
    private final List<ParamSpec> specs;

    public Params(String agent, Map<String, Object> values, List<ParamSpec> specs) {
        this.agent = agent;
        this.values = values == null ? Map.of() : values;
        this.specs = specs;
        for (String key : this.values.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(key))) {
                throw new IllegalArgumentException(key + ": unknown parameter for agent " + agent + "; known: "
                    + String.join(", ", specs.stream().map(ParamSpec::name).toList()));
            }
        }
    }

    private Object raw(String name) {
        ParamSpec spec = specs.stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalStateException("agent " + agent + " declares no param " + name));
        Object value = values.get(name);
        return value == null ? spec.defaultValue() : value;
    }

    public double getDouble(String name) {
        Object value = raw(name);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(name + ": must be a number, got " + describe(value));
    }

    public int getInt(String name) {
        return toInt(name, raw(name));
    }

    public boolean getBoolean(String name) {
        Object value = raw(name);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name + ": must be true or false, got " + describe(value));
    }

    public String getString(String name) {
        Object value = raw(name);
        if (value instanceof String s) {
            return s.trim();
        }
        throw new IllegalArgumentException(name + ": must be a string, got " + describe(value));
    }

    /** A list of ints; also accepts a single number (one element) or a comma-separated string. */
    public int[] getIntList(String name) {
        Object value = raw(name);
        List<?> items;
        if (value instanceof List<?> list) {
            items = list;
        } else if (value instanceof int[] array) {
            return array.clone();
        } else if (value instanceof Number) {
            items = List.of(value);
        } else if (value instanceof String s) {
            List<Object> parts = new ArrayList<>();
            for (String part : s.replace("[", "").replace("]", "").split(",")) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
            items = parts;
        } else {
            throw new IllegalArgumentException(name + ": must be a list of integers, got " + describe(value));
        }
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(name, items.get(i));
        }
        return out;
    }

    private static int toInt(String name, Object value) {
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": must be an integer, got " + describe(value));
            }
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException(name + ": must be an integer, got " + describe(value));
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    // ---- range checks used by config records; each message starts with the field name ----

    public static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": must be > 0, got " + value);
        }
    }

    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": must be >= " + min + ", got " + value);
        }
    }

    public static void inRange(String name, double value, double lowInclusive, double highInclusive) {
        if (!(value >= lowInclusive && value <= highInclusive)) {
            throw new IllegalArgumentException(name + ": must be in [" + lowInclusive + ", " + highInclusive
                + "], got " + value);
        }
    }

    /** γ in (0, 1]. */
    public static void discount(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + ": must be in (0, 1], got " + value);
        }
    }

    public static void oneOf(String name, String value, List<String> choices) {
        if (!choices.contains(value)) {
            throw new IllegalArgumentException(name + ": must be one of " + String.join(", ", choices)
                + ", got '" + value + "'");
        }
    }
}
