package dev.ludus.platform.sweep;

import dev.ludus.agents.Agents;
import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.platform.BadInput;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.search.Pruner;
import dev.ludus.platform.search.SearchSpace;
import dev.ludus.platform.search.Study;
import dev.ludus.platform.store.SweepPlan;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Reads a sweep file, expands it into configurations x seeds and validates every configuration with
 * the trial executor, so that a sweep is stored whole or not at all. Throws {@link BadInput} naming
 * the field at fault — every field at fault ({@link BadInput#all()}) when the problems are independent.
 */
public final class SweepParser {

    public static final int MAX_RUNS = 10_000;
    private static final Set<String> TOP_LEVEL = Set.of("name", "description", "task", "search", "params", "seeds",
            "parallelism", "pruner", "racing");
    private static final Set<String> DISTRIBUTIONS = Set.of("uniform", "log_uniform", "int_uniform");

    private SweepParser() {
    }

    public static SweepPlan parse(String text, TrialExecutor executor) {
        JsonObject file;
        try {
            Object v = io.vertx.core.json.Json.decodeValue(text);
            if (!(v instanceof JsonObject o)) {
                throw new BadInput("body", "body: a sweep must be a JSON object");
            }
            file = o;
        } catch (DecodeException e) {
            throw new BadInput("body", "body: invalid JSON: " + e.getMessage());
        }
        return parse(file, executor);
    }

    /** Errors reported for one sweep at most: a file wrong everywhere gets a readable answer, not thousands of lines. */
    static final int MAX_ERRORS = 50;

    /**
     * Parses, expands and validates a sweep file. Every independent problem is reported at once (each naming its
     * field, {@link BadInput#all()}); checks that need valid parts (expanding the grid, validating configurations)
     * run once those parts are valid.
     */
    public static SweepPlan parse(JsonObject file, TrialExecutor executor) {
        List<BadInput> errors = new ArrayList<>();
        for (String k : file.fieldNames()) {
            if (!TOP_LEVEL.contains(k)) {
                errors.add(new BadInput(k, k + ": unknown field; a sweep has " + String.join(", ", TOP_LEVEL.stream().sorted().toList())));
            }
        }
        String name = collect(errors, () -> {
            String n = string(file, "name", "name");
            if (n.isBlank() || n.length() > 200) {
                throw new BadInput("name", "name: must be 1 to 200 characters");
            }
            return n;
        });
        JsonObject task = collect(errors, () -> object(file, "task", "task", true));
        JsonObject search = collect(errors, () -> object(file, "search", "search", false));
        String method = collect(errors, () -> search == null ? "grid" : search.getValue("method") == null ? "grid"
                : stringValue(search.getValue("method"), "search.method"));
        JsonObject params = collect(errors, () -> {
            JsonObject o = object(file, "params", "params", false);
            return o == null ? new JsonObject() : o;
        });
        Racing racing = task == null || file.getValue("racing") == null ? null
                : collect(errors, () -> racing(file.getValue("racing"), search, task, executor));
        if (racing != null && file.getValue("seeds") != null) {
            errors.add(new BadInput("seeds", "seeds: a raced sweep takes its seeds from racing.seeds"));
        }
        if (racing != null && "tpe".equals(method)) {
            errors.addAll(racedStudy(file.getJsonObject("racing"), search));
        }
        List<Long> seeds = racing != null ? racing.seeds() : collect(errors, () -> seeds(file.getValue("seeds")));
        Integer parallelism = collect(errors, () -> file.getValue("parallelism") == null ? 1
                : intIn(file.getValue("parallelism"), "parallelism", 1, 256));
        if (task != null && params != null) {
            ParamSet declared = collect(errors, () -> declaredParams(task));
            if (declared != null) {
                checkAgainstDeclarations(params, declared, task.getString("agent"), errors);
            }
        }
        throwIfAny(errors);

        List<JsonObject> configs;
        int total = -1; // a fixed sweep: its runs' count
        switch (method) {
            case "grid" -> {
                if (search != null) {
                    onlyKeys(search, "search", Set.of("method"));
                }
                configs = grid(params, seeds.size());
            }
            case "random" -> {
                onlyKeys(search, "search", Set.of("method", "trials", "seed"));
                if (search.getValue("trials") == null) {
                    throw new BadInput("search.trials", "search.trials: random search needs a number of trials");
                }
                int trials = intIn(search.getValue("trials"), "search.trials", 1, MAX_RUNS);
                long seed = search.getValue("seed") == null ? 0 : longValue(search.getValue("seed"), "search.seed");
                configs = random(params, trials, seed, seeds.size());
            }
            case "tpe" -> {
                onlyKeys(search, "search", Set.of("method", "trials", "seed", "objective", "direction"));
                if (search.getValue("trials") == null) {
                    throw new BadInput("search.trials", "search.trials: tpe needs a number of trials");
                }
                int trials = intIn(search.getValue("trials"), "search.trials", 1, MAX_RUNS);
                if ((long) trials * seeds.size() > MAX_RUNS) {
                    throw new BadInput("search.trials", "search.trials: the sweep would have more than " + MAX_RUNS + " runs");
                }
                if (search.getValue("seed") != null) {
                    longValue(search.getValue("seed"), "search.seed");
                }
                objective(search, task, executor);
                Object direction = search.getValue("direction");
                if (direction != null && !"maximize".equals(direction) && !"minimize".equals(direction)) {
                    throw new BadInput("search.direction", "search.direction: must be 'maximize' or 'minimize', got '"
                            + direction + "'");
                }
                SearchSpace.parse(params);
                Study study = Study.of(file, parallelism);
                // the first configurations are the start-up trials' random draws: check those the planner will queue
                configs = new ArrayList<>();
                for (int t = 0; t < Math.min(trials, TPE_STARTUP_CHECKED); t++) {
                    configs.add(study.suggest(t, List.of()));
                }
                total = trials * seeds.size();
            }
            default -> throw new BadInput("search.method", "search.method: must be 'grid', 'random' or 'tpe', got '"
                    + method + "'");
        }
        if (file.getValue("pruner") != null) {
            Pruner.Spec.parse(file.getValue("pruner"), Pruner.Spec.defaultMaximize(file), reportedKeys(task, executor));
        }

        Map<String, Object> plainTask = plainMap(task);
        Set<String> reported = new java.util.HashSet<>(); // configurations share values: each problem once
        for (int i = 0; i < configs.size() && errors.size() < MAX_ERRORS; i++) {
            BadInput problem;
            try {
                executor.validate(plainTask, plainMap(configs.get(i)));
                continue;
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                problem = BadInput.fromValidation(withValueIndex(e, params, configs.get(i)), "task");
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                // a plug-in's code (env constructor, agent validation) failed: the sweep is refused, not the server
                problem = new BadInput("task", "task: checking the configuration failed in plug-in or library code: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            if (reported.add(problem.getMessage())) {
                errors.add(problem);
            }
            if (problem.field() != null && problem.field().startsWith("task")) {
                break; // the task is wrong for every configuration: one report says it
            }
        }
        throwIfAny(errors);
        if (total >= 0) { // adaptive: the planner queues the runs as the study goes
            return new SweepPlan(name, file, task, parallelism, List.of(), total);
        }
        if (racing != null) { // every configuration on the first seeds; the planner adds seeds for the survivors
            List<SweepPlan.PlannedRun> firstRound = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                for (int i = 0; i < racing.first(); i++) {
                    firstRound.add(new SweepPlan.PlannedRun(c * seeds.size() + i, name + "-" + (c + 1) + "-s" + seeds.get(i),
                            configs.get(c), seeds.get(i)));
                }
            }
            return new SweepPlan(name, file, task, parallelism, firstRound, configs.size() * seeds.size());
        }
        List<SweepPlan.PlannedRun> runs = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) {
            for (long seed : seeds) {
                runs.add(new SweepPlan.PlannedRun(runs.size(), name + "-" + (c + 1) + "-s" + seed, configs.get(c), seed));
            }
        }
        return new SweepPlan(name, file, task, parallelism, runs);
    }

    /** Runs one independent check; its {@link BadInput} joins {@code errors} (null returned) instead of ending the parse. */
    private static <T> T collect(List<BadInput> errors, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (BadInput e) {
            errors.addAll(e.all());
            return null;
        }
    }

    private static void throwIfAny(List<BadInput> errors) {
        if (!errors.isEmpty()) {
            throw BadInput.all(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
    }

    /** The validated {@code racing} block: its seeds and how many every configuration starts on. */
    private record Racing(List<Long> seeds, int first) {
    }

    private static final Set<String> RACING_KEYS = Set.of("seeds", "first", "test", "confidence", "objective",
            "direction");

    private static Racing racing(Object value, JsonObject search, JsonObject task, TrialExecutor executor) {
        if (!(value instanceof JsonObject r)) {
            throw new BadInput("racing", "racing: must be an object such as {\"seeds\": [1, 2, 3, 4, 5], \"first\": 3, "
                    + "\"test\": \"wilcoxon\", \"confidence\": 0.95}, got " + value);
        }
        onlyKeys(r, "racing", RACING_KEYS);
        if (!(r.getValue("seeds") instanceof JsonArray)) {
            throw new BadInput("racing.seeds", "racing.seeds: must be a list of integers (the seeds configurations race on)");
        }
        List<Long> seeds;
        try {
            seeds = seeds(r.getValue("seeds"));
        } catch (BadInput e) {
            throw new BadInput("racing." + e.field(), "racing." + e.getMessage());
        }
        int first = r.getValue("first") == null ? Math.min(3, seeds.size()) : intIn(r.getValue("first"), "racing.first", 1, 1000);
        if (seeds.size() < first) {
            throw new BadInput("racing.seeds", "racing.seeds: lists " + seeds.size() + " seed(s), fewer than racing.first = "
                    + first);
        }
        Object test = r.getValue("test", "wilcoxon");
        if (!"wilcoxon".equals(test) && !"friedman".equals(test)) {
            throw new BadInput("racing.test", "racing.test: must be 'wilcoxon' or 'friedman', got '" + test + "'");
        }
        Object confidence = r.getValue("confidence", 0.95);
        if (!(confidence instanceof Number c) || !(c.doubleValue() > 0.5) || !(c.doubleValue() < 1)) {
            throw new BadInput("racing.confidence", "racing.confidence: must be a number in (0.5, 1), got " + confidence);
        }
        Object objective = r.getValue("objective", search == null ? null : search.getValue("objective"));
        if (objective == null) {
            throw new BadInput("racing.objective", "racing.objective: missing; the summary metric configurations race "
                    + "on, e.g. \"eval/return_mean\"");
        }
        String o = stringValue(objective, "racing.objective");
        Set<String> reported = reportedKeys(task, executor);
        if (reported != null && !reported.isEmpty() && !reported.contains(o)) {
            throw new BadInput("racing.objective", "racing.objective: no run of this task reports '" + o
                    + "'; its runs report " + String.join(", ", reported.stream().sorted().toList()));
        }
        Object direction = r.getValue("direction");
        if (direction != null && !"maximize".equals(direction) && !"minimize".equals(direction)) {
            throw new BadInput("racing.direction", "racing.direction: must be 'maximize' or 'minimize', got '"
                    + direction + "'");
        }
        return new Racing(seeds, first);
    }

    /**
     * What a race under TPE needs beyond a race: the incumbent test (configurations arrive one at a time, so there is
     * no field for Friedman's test to rank) and one objective, the one the study optimises.
     */
    private static List<BadInput> racedStudy(JsonObject racing, JsonObject search) {
        List<BadInput> errors = new ArrayList<>();
        if ("friedman".equals(racing.getValue("test"))) {
            errors.add(new BadInput("racing.test", "racing.test: with search.method tpe each configuration races the "
                    + "incumbent pair-wise: use 'wilcoxon' (Friedman's test ranks a whole field of configurations)"));
        }
        for (String key : List.of("objective", "direction")) {
            Object mine = racing.getValue(key);
            Object studies = search.getValue(key, key.equals("direction") ? "maximize" : null);
            if (mine != null && !mine.equals(studies)) {
                errors.add(new BadInput("racing." + key, "racing." + key + ": a raced TPE study races on what it "
                        + "optimises: leave it out or make it search." + key + " ('" + studies + "'), got '" + mine + "'"));
            }
        }
        return errors;
    }

    /** How many of a TPE study's random start-up configurations are validated up front. */
    private static final int TPE_STARTUP_CHECKED = 10;

    /** {@code search.objective}: required, and a key the task's runs report when the executor knows them. */
    private static void objective(JsonObject search, JsonObject task, TrialExecutor executor) {
        if (search.getValue("objective") == null) {
            throw new BadInput("search.objective", "search.objective: missing; the summary metric to optimise, "
                    + "e.g. \"eval/return_mean\"");
        }
        String objective = stringValue(search.getValue("objective"), "search.objective");
        Set<String> reported = reportedKeys(task, executor);
        if (reported != null && !reported.isEmpty() && !reported.contains(objective)) {
            throw new BadInput("search.objective", "search.objective: no run of this task reports '" + objective
                    + "'; its runs report " + String.join(", ", reported.stream().sorted().toList()));
        }
    }

    private static Set<String> reportedKeys(JsonObject task, TrialExecutor executor) {
        try {
            return executor.summaryKeys(plainMap(task));
        } catch (IllegalArgumentException e) {
            throw BadInput.fromValidation(e, "task");
        }
    }

    /** The params the task's agent declares, or null when the task names no registered agent (left to the executor). */
    private static ParamSet declaredParams(JsonObject task) {
        Object type = task.getValue("type");
        Object agent = task.getValue("agent");
        if ((type == null || "rl".equals(type)) && agent instanceof String name && Agents.names().contains(name)) {
            return Agents.info(name).params().params().isEmpty() ? ParamSet.of() : Agents.info(name).params();
        }
        return null;
    }

    /**
     * Checks every value and distribution against the agent's declarations, so the error names the element or
     * bound at fault ({@code params.lr[1]: must be > 0, got -1}, {@code params.batch_size: an int param takes
     * int_uniform, not uniform}) instead of a sampled configuration.
     */
    private static void checkAgainstDeclarations(JsonObject params, ParamSet declared, String agent, List<BadInput> errors) {
        for (String name : params.fieldNames()) {
            String field = "params." + name;
            Param<?> param = declared.find(name);
            if (param == null) {
                errors.add(new BadInput(field, field + ": " + declared.unknown(name, "agent " + agent)));
                continue;
            }
            Object v = params.getValue(name);
            if (v instanceof JsonArray a) { // a grid axis or random choices: every element is one value
                for (int i = 0; i < a.size(); i++) {
                    int at = i;
                    collect(errors, () -> {
                        checkValue(param, a.getValue(at), field + "[" + at + "]");
                        return null;
                    });
                }
            } else if (v instanceof JsonObject o && o.size() == 1 && DISTRIBUTIONS.contains(o.fieldNames().iterator().next())) {
                collect(errors, () -> {
                    checkDistribution(param, o, field);
                    return null;
                });
            } else if (!(v instanceof JsonObject)) {
                collect(errors, () -> {
                    checkValue(param, v, field);
                    return null;
                });
            }
        }
    }

    private static void checkValue(Param<?> param, Object value, String field) {
        if (value == null) {
            return; // reported by the generic checks
        }
        try {
            param.parse(plain(value));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String detail = message.startsWith(param.name() + ": ") ? message.substring(param.name().length() + 2) : message;
            throw new BadInput(field, field + ": " + detail);
        }
    }

    private static void checkDistribution(Param<?> param, JsonObject distribution, String field) {
        String kind = distribution.fieldNames().iterator().next();
        boolean integer = param.type() == Param.Type.INT || param.type() == Param.Type.LONG;
        if (param.type() != Param.Type.DOUBLE && !integer) {
            throw new BadInput(field, field + ": a " + param.type().jsonName() + " param takes a list of values, not "
                    + kind + (param.choices().isEmpty() ? "" : " (choices: " + String.join(", ", param.choices()) + ")"));
        }
        if (integer && !kind.equals("int_uniform")) {
            throw new BadInput(field, field + ": an int param takes int_uniform (or a list), not " + kind);
        }
        if (!(distribution.getValue(kind) instanceof JsonArray bounds) || bounds.size() != 2) {
            return; // the sampler reports the shape
        }
        for (int i = 0; i < 2; i++) {
            checkValue(param, bounds.getValue(i), field + "." + kind + "[" + i + "]");
        }
    }

    private static List<JsonObject> grid(JsonObject params, int seeds) {
        List<JsonObject> configs = new ArrayList<>();
        configs.add(new JsonObject());
        for (String name : params.fieldNames()) {
            Object v = params.getValue(name);
            String field = "params." + name;
            List<Object> axis;
            if (v instanceof JsonObject) {
                throw new BadInput(field, field + ": a grid takes a list of values or a constant, not a distribution "
                        + v.toString() + " (use \"search\": {\"method\": \"random\"})");
            } else if (v instanceof JsonArray a) {
                if (a.isEmpty()) {
                    throw new BadInput(field, field + ": the list of values is empty");
                }
                axis = list(a);
                for (int i = 0; i < a.size(); i++) {
                    checkValue(a.getValue(i), field + "[" + i + "]");
                }
            } else {
                checkValue(v, field);
                axis = List.of(v);
            }
            if ((long) configs.size() * axis.size() * seeds > MAX_RUNS) {
                throw new BadInput(field, field + ": the sweep would have more than " + MAX_RUNS + " runs");
            }
            List<JsonObject> next = new ArrayList<>();
            for (JsonObject c : configs) {
                for (Object value : axis) {
                    next.add(c.copy().put(name, copy(value)));
                }
            }
            configs = next;
        }
        return configs;
    }

    private static List<JsonObject> random(JsonObject params, int trials, long seed, int seeds) {
        if ((long) trials * seeds > MAX_RUNS) {
            throw new BadInput("search.trials", "search.trials: the sweep would have more than " + MAX_RUNS + " runs");
        }
        SearchSpace space = SearchSpace.parse(params);
        SplittableRandom rng = new SplittableRandom(seed);
        List<JsonObject> configs = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            configs.add(space.sample(rng));
        }
        return configs;
    }

    private static void checkValue(Object v, String field) {
        SearchSpace.checkValue(v, field);
    }

    private static List<Long> seeds(Object v) {
        if (v == null) {
            return List.of(0L);
        }
        if (!(v instanceof JsonArray a) || a.isEmpty()) {
            throw new BadInput("seeds", "seeds: must be a non-empty list of integers");
        }
        if (a.size() > 1000) {
            throw new BadInput("seeds", "seeds: at most 1000 seeds");
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            long s = longValue(a.getValue(i), "seeds[" + i + "]");
            if (out.contains(s)) {
                throw new BadInput("seeds[" + i + "]", "seeds[" + i + "]: seed " + s + " is listed twice");
            }
            out.add(s);
        }
        return out;
    }

    private static void onlyKeys(JsonObject o, String field, Set<String> allowed) {
        for (String k : o.fieldNames()) {
            if (!allowed.contains(k)) {
                throw new BadInput(field + "." + k, field + "." + k + ": unknown field");
            }
        }
    }

    private static String string(JsonObject o, String key, String field) {
        return stringValue(o.getValue(key), field);
    }

    private static String stringValue(Object v, String field) {
        if (!(v instanceof String s)) {
            throw new BadInput(field, field + ": must be a string" + (v == null ? " (missing)" : ", got " + v));
        }
        return s;
    }

    private static JsonObject object(JsonObject o, String key, String field, boolean required) {
        Object v = o.getValue(key);
        if (v == null) {
            if (required) {
                throw new BadInput(field, field + ": missing");
            }
            return null;
        }
        if (!(v instanceof JsonObject j)) {
            throw new BadInput(field, field + ": must be an object, got " + v);
        }
        return j;
    }

    private static long longValue(Object v, String field) {
        if (v instanceof Number n && (v instanceof Integer || v instanceof Long
                || (Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 9e15))) {
            return n.longValue();
        }
        throw new BadInput(field, field + ": must be an integer, got " + v);
    }

    private static int intIn(Object v, String field, int lo, int hi) {
        long x = longValue(v, field);
        if (x < lo || x > hi) {
            throw new BadInput(field, field + ": must be in " + lo + ".." + hi + ", got " + x);
        }
        return (int) x;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(JsonArray a) {
        return (List<Object>) a.getList();
    }

    private static Object copy(Object v) {
        return v instanceof JsonArray a ? a.copy() : v;
    }

    /** JSON → plain {@code Map}/{@code List}/{@code Number}/{@code String}/{@code Boolean} (what {@code RunSpec} takes). */
    public static Map<String, Object> plainMap(JsonObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) {
            m.put(e.getKey(), plain(e.getValue()));
        }
        return m;
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plainMap(o);
        }
        if (v instanceof JsonArray a) {
            List<Object> l = new ArrayList<>();
            for (Object x : a) {
                l.add(plain(x));
            }
            return l;
        }
        if (v instanceof Map<?, ?> m) {
            return plainMap(new JsonObject(castMap(m)));
        }
        if (v instanceof List<?> l) {
            return plain(new JsonArray(new ArrayList<>(l)));
        }
        return v;
    }

    /**
     * An error inside a list-valued param ({@code params.network[3].kernel: ...}) names which of the listed values
     * it is in, as the file spells it: {@code params.network[0][3].kernel: ...}.
     */
    private static RuntimeException withValueIndex(RuntimeException e, JsonObject params, JsonObject config) {
        String m = e.getMessage();
        for (String name : params.fieldNames()) {
            String prefix = "params." + name + "[";
            if (m != null && m.startsWith(prefix) && params.getValue(name) instanceof JsonArray values) {
                for (int i = 0; i < values.size(); i++) {
                    if (values.getValue(i) instanceof JsonArray && values.getValue(i).equals(config.getValue(name))) {
                        return new IllegalArgumentException("params." + name + "[" + i + "]" + m.substring(prefix.length() - 1), e);
                    }
                }
            }
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
