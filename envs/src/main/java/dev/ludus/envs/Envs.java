package dev.ludus.envs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The env registry: a map from id to {@link EnvSpec} (Gymnasium's {@code registry}). Holds the
 * built-in envs and every {@link EnvProvider} found with {@link java.util.ServiceLoader} on the context (or
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
    public static final String BUILT_IN = Registry.BUILT_IN;

    private static final Registry<EnvProvider, EnvSpec> REGISTRY =
            new Registry<>("env", EnvProvider.class, EnvProvider::specs, EnvSpec::id, Envs.class);
    private static final List<String> DISCOVERY_ERRORS = new ArrayList<>();

    static {
        synchronized (Envs.class) {
            List<String> errors = REGISTRY.registerProvider(new BuiltinEnvs(), BUILT_IN);
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
        EnvSpec spec = lookup(id);
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
        return Collections.unmodifiableSet(new TreeSet<>(REGISTRY.ids()));
    }

    /** The spec registered under {@code id}; unknown ids throw as {@link #make(String)} does. */
    public static EnvSpec spec(String id) {
        return lookup(id);
    }

    /** {@value #BUILT_IN}, or the origin (jar, directory or name given to {@code discover}) of the provider. */
    public static String origin(String id) {
        lookup(id);
        return REGISTRY.origin(id);
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
    public static void register(EnvSpec spec, String origin) {
        REGISTRY.register(spec, origin == null || origin.isBlank() ? "Envs.register" : origin);
    }

    /**
     * Finds the {@link EnvProvider}s visible to {@code loader} with {@link java.util.ServiceLoader} and registers
     * the specs of those not registered yet (providers already known through a parent loader are
     * skipped). A provider is registered whole or not at all: one with an id that is already taken
     * (or listed twice) is rejected with an error naming both providers and their origins; a provider
     * that cannot be loaded or whose {@code specs()} throws is reported too. Nothing here is fatal.
     *
     * @param origin where the loader's classes come from, e.g. a plug-in jar's file name; {@code null}
     *               to use each provider's code source location
     * @return the errors, empty when everything registered
     */
    public static List<String> discover(ClassLoader loader, String origin) {
        return REGISTRY.discover(loader, origin);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Env<?, ?> wrap(EnvSpec spec, EnvKwargs kwargs) {
        Env<?, ?> env = spec.entryPoint().apply(kwargs);
        if (env == null) {
            throw new IllegalStateException("the factory of env '" + spec.id() + "' returned null");
        }
        return new RegisteredEnv(env, spec);
    }

    private static EnvSpec lookup(String id) {
        EnvSpec spec = REGISTRY.find(id);
        if (spec != null) {
            return spec;
        }
        Set<String> known = new TreeSet<>(REGISTRY.ids());
        String closest = Names.closest(id, known);
        throw new IllegalArgumentException("unknown env id '" + id + "'"
                + (closest == null ? "" : "; did you mean '" + closest + "'?") + " Known ids: " + known);
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
