package dev.ludus.envs;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The env registry: a map from id to {@link EnvSpec} (Gymnasium's {@code registry}). Holds the
 * built-in envs and every {@link EnvProvider} found with {@link ServiceLoader} on the context (or
 * system) class loader when this class initialises; more come through
 * {@link #discover(ClassLoader, String)}, e.g. the platform's {@code plugins/} jars.
 *
 * <pre>{@code
 * Env<double[], Integer> env = Envs.make("CartPole-v1", double[].class, Integer.class);
 * double[] obs = env.reset(42).observation();
 * Step<double[]> s = env.step(1);
 * }</pre>
 */
public final class Envs {
    /** Origin reported for the envs shipped in this module. */
    public static final String BUILT_IN = "built-in";

    private record Registration(EnvSpec spec, String provider, String origin) {
        String describe() {
            return provider + " (" + origin + ")";
        }
    }

    private static final Map<String, Registration> REGISTRY = new HashMap<>();
    private static final Set<Class<?>> PROVIDER_CLASSES = new HashSet<>();
    private static final List<String> DISCOVERY_ERRORS = new ArrayList<>();

    static {
        synchronized (Envs.class) {
            BuiltinEnvs builtins = new BuiltinEnvs();
            List<String> errors = register(builtins, BUILT_IN);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("built-in env specs are inconsistent: " + errors);
            }
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = ClassLoader.getSystemClassLoader();
            }
            List<String> found = discover(loader, null);
            DISCOVERY_ERRORS.addAll(found);
            for (String e : found) {
                System.err.println("ludus envs: " + e);
            }
        }
    }

    private Envs() {}

    /**
     * Makes a fresh env wrapped in its spec's time limit and an order check ({@link RegisteredEnv}).
     *
     * @throws IllegalArgumentException for an unknown id, listing the known ids and the closest match
     */
    public static Env<?, ?> make(String id) {
        return make(id, Map.of());
    }

    /**
     * {@link #make(String)} with keyword arguments (Gymnasium's {@code gym.make(id, **kwargs)}): the spec's
     * {@link EnvSpec#kwargs() defaults} overridden by {@code kwargs}, e.g. FrozenLake's {@code map_name}
     * and {@code is_slippery}. Values are JSON-like: numbers, strings, booleans, lists.
     *
     * @throws IllegalArgumentException for an unknown id
     * @throws EnvKwargException        for an argument the env does not take or a bad value, naming it
     */
    public static Env<?, ?> make(String id, Map<String, ?> kwargs) {
        EnvSpec spec = lookup(id).spec;
        return wrap(spec, EnvKwargs.resolve(spec, kwargs));
    }

    /**
     * Typed {@link #make(String)}: checks that the env's spaces hold {@code obs} and {@code act} values
     * ({@code double[]} for {@link Box}, {@code Integer} for {@link Discrete}).
     *
     * @throws IllegalArgumentException for an unknown id or when the types do not match
     */
    @SuppressWarnings("unchecked")
    public static <O, A> Env<O, A> make(String id, Class<O> obs, Class<A> act) {
        Env<?, ?> env = make(id);
        Class<?> obsType = valueType(env.observationSpace());
        Class<?> actType = valueType(env.actionSpace());
        if (!obs.isAssignableFrom(obsType)) {
            throw new IllegalArgumentException(id + " has observations of type " + obsType.getSimpleName()
                    + " (" + env.observationSpace() + "), not " + obs.getSimpleName());
        }
        if (!act.isAssignableFrom(actType)) {
            throw new IllegalArgumentException(id + " has actions of type " + actType.getSimpleName()
                    + " (" + env.actionSpace() + "), not " + act.getSimpleName());
        }
        return (Env<O, A>) env;
    }

    /** All registered ids, sorted. */
    public static synchronized Set<String> ids() {
        return Collections.unmodifiableSet(new TreeSet<>(REGISTRY.keySet()));
    }

    /** The spec registered under {@code id}; unknown ids throw as {@link #make(String)} does. */
    public static EnvSpec spec(String id) {
        return lookup(id).spec;
    }

    /** {@value #BUILT_IN}, or the origin (jar, directory or name given to {@code discover}) of the provider. */
    public static String origin(String id) {
        Registration r = lookup(id);
        return r.origin;
    }

    /** Errors met by the discovery that ran when this class initialised (also printed to stderr). */
    public static synchronized List<String> discoveryErrors() {
        return List.copyOf(DISCOVERY_ERRORS);
    }

    /**
     * Registers one spec directly (Gymnasium's {@code gym.register}), e.g. an env defined in a test or a
     * notebook-style program.
     *
     * @param origin where it comes from, reported by {@link #origin(String)}
     * @throws IllegalArgumentException if the id is taken, naming the provider that holds it
     */
    public static synchronized void register(EnvSpec spec, String origin) {
        if (spec == null) {
            throw new IllegalArgumentException("register: spec must not be null");
        }
        String where = origin == null || origin.isBlank() ? "Envs.register" : origin;
        Registration existing = REGISTRY.get(spec.id());
        if (existing != null) {
            throw new IllegalArgumentException("duplicate env id '" + spec.id() + "': registered by "
                    + existing.describe() + " and again by Envs.register (" + where + ")");
        }
        REGISTRY.put(spec.id(), new Registration(spec, "Envs.register", where));
    }

    /**
     * Finds the {@link EnvProvider}s visible to {@code loader} with {@link ServiceLoader} and registers
     * the specs of those not registered yet (providers already known through a parent loader are
     * skipped). A provider is registered whole or not at all: one with an id that is already taken
     * (or listed twice) is rejected with an error naming both providers and their origins; a provider
     * that cannot be loaded or whose {@code specs()} throws is reported too. Nothing here is fatal.
     *
     * @param origin where the loader's classes come from, e.g. a plug-in jar's file name; {@code null}
     *               to use each provider's code source location
     * @return the errors, empty when everything registered
     */
    public static synchronized List<String> discover(ClassLoader loader, String origin) {
        if (loader == null) {
            throw new IllegalArgumentException("discover: loader must not be null");
        }
        List<String> errors = new ArrayList<>();
        Iterator<ServiceLoader.Provider<EnvProvider>> it = ServiceLoader.load(EnvProvider.class, loader)
                .stream().iterator();
        while (true) {
            ServiceLoader.Provider<EnvProvider> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                errors.add("env provider could not be loaded" + (origin == null ? "" : " from " + origin) + ": "
                        + e.getMessage());
                continue;
            }
            Class<? extends EnvProvider> type = candidate.type();
            if (PROVIDER_CLASSES.contains(type)) {
                continue;
            }
            String where = origin != null ? origin : locationOf(type);
            EnvProvider provider;
            try {
                provider = candidate.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                errors.add("env provider " + type.getName() + " (" + where + ") could not be instantiated: " + e);
                continue;
            }
            errors.addAll(register(provider, where));
        }
        return errors;
    }

    private static List<String> register(EnvProvider provider, String origin) {
        String name = provider.getClass().getName();
        List<EnvSpec> specs;
        try {
            specs = provider.specs();
        } catch (RuntimeException | LinkageError e) {
            return List.of("env provider " + name + " (" + origin + ") failed in specs(): " + e);
        }
        if (specs == null) {
            return List.of("env provider " + name + " (" + origin + ") returned null from specs()");
        }
        Registration self = new Registration(null, name, origin);
        List<String> errors = new ArrayList<>();
        Map<String, Registration> accepted = new LinkedHashMap<>();
        for (EnvSpec spec : specs) {
            if (spec == null) {
                errors.add("env provider " + self.describe() + " returned a null spec");
                continue;
            }
            Registration existing = REGISTRY.get(spec.id());
            if (existing != null) {
                errors.add("duplicate env id '" + spec.id() + "': registered by " + existing.describe()
                        + " and again by " + self.describe() + "; the second provider was not registered");
            } else if (accepted.containsKey(spec.id())) {
                errors.add("duplicate env id '" + spec.id() + "': listed twice by " + self.describe()
                        + "; the provider was not registered");
            } else {
                accepted.put(spec.id(), new Registration(spec, name, origin));
            }
        }
        // all or nothing, so a rejected provider leaves no partial registration behind
        PROVIDER_CLASSES.add(provider.getClass());
        if (errors.isEmpty()) {
            REGISTRY.putAll(accepted);
        }
        return errors;
    }

    private static String locationOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            if (url != null) {
                String path = url.getPath();
                String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                return trimmed.substring(trimmed.lastIndexOf('/') + 1);
            }
        } catch (SecurityException ignored) {
            // fall through to the class name
        }
        return "classpath";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Env<?, ?> wrap(EnvSpec spec, EnvKwargs kwargs) {
        Env<?, ?> env = spec.entryPoint().apply(kwargs);
        if (env == null) {
            throw new IllegalStateException("the factory of env '" + spec.id() + "' returned null");
        }
        return new RegisteredEnv(env, spec);
    }

    private static synchronized Registration lookup(String id) {
        Registration r = id == null ? null : REGISTRY.get(id);
        if (r != null) {
            return r;
        }
        Set<String> known = new TreeSet<>(REGISTRY.keySet());
        String closest = closest(id, known);
        throw new IllegalArgumentException("unknown env id '" + id + "'"
                + (closest == null ? "" : "; did you mean '" + closest + "'?") + " Known ids: " + known);
    }

    /** The known id with the smallest case-insensitive edit distance to {@code id}. */
    static String closest(String id, Set<String> known) {
        if (id == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(id.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Class<?> valueType(Space<?> space) {
        if (space instanceof Discrete) {
            return Integer.class;
        }
        if (space instanceof Box) {
            return double[].class;
        }
        Object sample = space.sample(new SplittableRandom(0));
        return sample == null ? Object.class : sample.getClass();
    }
}
