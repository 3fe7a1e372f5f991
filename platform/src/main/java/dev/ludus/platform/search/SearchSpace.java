package dev.ludus.platform.search;

import dev.ludus.platform.BadInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code params} of a sweep read as a search space: a list of values is a categorical choice, {@code {"uniform":
 * [a, b]}}, {@code {"log_uniform": [a, b]}} and {@code {"int_uniform": [a, b]}} are distributions, anything else is
 * a constant. Random search samples it directly; TPE works on each dimension's <em>internal</em> coordinate (the
 * value, its logarithm for log-uniform, the choice's index for a categorical), as Optuna does.
 */
public final class SearchSpace {

    /** 2^53: the largest magnitude below which every integer has an exact double (JSON number). */
    static final long MAX_EXACT_INTEGER = 1L << 53;

    /** One searched parameter. */
    public sealed interface Dimension permits Uniform, LogUniform, IntUniform, Categorical {
        String name();

        /** A value drawn from the prior, as random search draws it. */
        Object sample(SplittableRandom rng);

        /** The parameter value for an internal coordinate. */
        Object external(double internal);

        /** The internal coordinate of a parameter value, or NaN when the value is not in this dimension. */
        double internal(Object value);

        /** True when the dimension has one value only (Optuna leaves those out of the model). */
        boolean single();

        /** The lower bound, or the first choice: the value of a {@link #single()} dimension. */
        Object lowest();
    }

    public record Uniform(String name, double low, double high) implements Dimension {
        public Object sample(SplittableRandom rng) {
            return low + (high - low) * rng.nextDouble();
        }

        public Object external(double internal) {
            return Math.min(high, Math.max(low, internal));
        }

        public double internal(Object value) {
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        public boolean single() {
            return low == high;
        }

        public Object lowest() {
            return low;
        }
    }

    public record LogUniform(String name, double low, double high) implements Dimension {
        public Object sample(SplittableRandom rng) {
            double la = Math.log(low);
            double lb = Math.log(high);
            return Math.exp(la + (lb - la) * rng.nextDouble());
        }

        public Object external(double internal) {
            return Math.min(high, Math.max(low, Math.exp(internal)));
        }

        public double internal(Object value) {
            return value instanceof Number n && n.doubleValue() > 0 ? Math.log(n.doubleValue()) : Double.NaN;
        }

        public boolean single() {
            return low == high;
        }

        public Object lowest() {
            return low;
        }
    }

    public record IntUniform(String name, long low, long high) implements Dimension {
        public Object sample(SplittableRandom rng) {
            return low + rng.nextLong(high - low + 1);
        }

        public Object external(double internal) {
            return Math.min(high, Math.max(low, Math.round(internal)));
        }

        public double internal(Object value) {
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        public boolean single() {
            return low == high;
        }

        public Object lowest() {
            return low;
        }
    }

    public record Categorical(String name, List<Object> choices) implements Dimension {
        public Categorical {
            choices = List.copyOf(choices);
        }

        public Object sample(SplittableRandom rng) {
            return copy(choices.get(rng.nextInt(choices.size())));
        }

        public Object external(double internal) {
            return copy(choices.get((int) internal));
        }

        public double internal(Object value) {
            for (int i = 0; i < choices.size(); i++) {
                if (sameValue(choices.get(i), value)) {
                    return i;
                }
            }
            return Double.NaN;
        }

        public boolean single() {
            return choices.size() == 1;
        }

        public Object lowest() {
            return copy(choices.get(0));
        }
    }

    private final List<Dimension> dimensions;
    private final Map<String, Object> constants;
    private final List<String> order;

    private SearchSpace(List<Dimension> dimensions, Map<String, Object> constants, List<String> order) {
        this.dimensions = List.copyOf(dimensions);
        this.constants = constants;
        this.order = List.copyOf(order);
    }

    /** Reads {@code params}; throws {@link BadInput} naming the field ({@code params.lr.log_uniform}) at fault. */
    public static SearchSpace parse(JsonObject params) {
        List<Dimension> dims = new ArrayList<>();
        Map<String, Object> constants = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String name : params.fieldNames()) {
            order.add(name);
            Object v = params.getValue(name);
            String field = "params." + name;
            if (v instanceof JsonArray a) {
                if (a.isEmpty()) {
                    throw new BadInput(field, field + ": the list of choices is empty");
                }
                for (int i = 0; i < a.size(); i++) {
                    checkValue(a.getValue(i), field + "[" + i + "]");
                }
                dims.add(new Categorical(name, new ArrayList<>(a.getList())));
            } else if (v instanceof JsonObject o) {
                dims.add(distribution(name, o, field));
            } else {
                checkValue(v, field);
                constants.put(name, v);
            }
        }
        return new SearchSpace(dims, constants, order);
    }

    private static Dimension distribution(String name, JsonObject o, String field) {
        if (o.size() != 1 || !List.of("uniform", "log_uniform", "int_uniform").contains(o.fieldNames().iterator().next())) {
            throw new BadInput(field, field + ": a distribution is one of {\"uniform\": [a, b]}, {\"log_uniform\": [a, b]}, "
                    + "{\"int_uniform\": [a, b]}, got " + o);
        }
        String kind = o.fieldNames().iterator().next();
        String f = field + "." + kind;
        if (!(o.getValue(kind) instanceof JsonArray bounds) || bounds.size() != 2
                || !(bounds.getValue(0) instanceof Number) || !(bounds.getValue(1) instanceof Number)) {
            throw new BadInput(f, f + ": must be a list of two numbers [low, high]");
        }
        double a = ((Number) bounds.getValue(0)).doubleValue();
        double b = ((Number) bounds.getValue(1)).doubleValue();
        if (!Double.isFinite(a) || !Double.isFinite(b) || a > b) {
            throw new BadInput(f, f + ": needs finite low <= high, got [" + a + ", " + b + "]");
        }
        return switch (kind) {
            case "uniform" -> {
                if (!Double.isFinite(b - a)) {
                    throw new BadInput(f, f + ": the range high - low must be a finite number, got [" + a + ", " + b + "]");
                }
                yield new Uniform(name, a, b);
            }
            case "log_uniform" -> {
                if (a <= 0) {
                    throw new BadInput(f, f + ": bounds must be > 0, got [" + a + ", " + b + "]");
                }
                yield new LogUniform(name, a, b);
            }
            default -> {
                if (a != Math.rint(a) || b != Math.rint(b)) {
                    throw new BadInput(f, f + ": bounds must be integers, got [" + a + ", " + b + "]");
                }
                if (Math.abs(a) > MAX_EXACT_INTEGER || Math.abs(b) > MAX_EXACT_INTEGER) {
                    // beyond 2^53 a JSON number no longer names one integer, and hi - lo + 1 could overflow
                    throw new BadInput(f, f + ": bounds must be within +-" + MAX_EXACT_INTEGER + ", got [" + a + ", " + b + "]");
                }
                yield new IntUniform(name, (long) a, (long) b);
            }
        };
    }

    /** A grid or choice value: any JSON value but null, an object or a non-finite number. */
    public static void checkValue(Object v, String field) {
        if (v == null) {
            throw new BadInput(field, field + ": must not be null");
        }
        if (v instanceof JsonObject) {
            throw new BadInput(field, field + ": must be a number, string, boolean or list, not an object");
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            throw new BadInput(field, field + ": must be finite");
        }
    }

    /** Every searched parameter, in the file's order (single-valued ones included). */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** The parameters TPE models: the searched ones with more than one value. */
    public List<Dimension> modelled() {
        return dimensions.stream().filter(d -> !d.single()).toList();
    }

    /** A configuration drawn from the prior (random search): parameters in the file's order. */
    public JsonObject sample(SplittableRandom rng) {
        Map<String, Object> drawn = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            drawn.put(d.name(), d.sample(rng));
        }
        return assemble(drawn);
    }

    /** A configuration from values of the searched parameters (the rest: constants, single values). */
    public JsonObject assemble(Map<String, Object> searched) {
        JsonObject c = new JsonObject();
        for (String name : order) {
            if (constants.containsKey(name)) {
                c.put(name, constants.get(name));
            } else if (searched.containsKey(name)) {
                c.put(name, searched.get(name));
            } else {
                c.put(name, dimensions.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().lowest());
            }
        }
        return c;
    }

    private static Object copy(Object v) {
        return v instanceof JsonArray a ? a.copy() : v;
    }

    /** JSON equality, numbers by value (a stored 3 and a declared 3.0 are the same choice). */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> l) {
            a = new JsonArray(new ArrayList<>(l));
        }
        if (b instanceof List<?> l) {
            b = new JsonArray(new ArrayList<>(l));
        }
        return a == null ? b == null : a.equals(b);
    }
}
