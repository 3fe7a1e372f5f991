package dev.ludus.envs;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * The one registry mechanism behind {@link Envs} and {@code dev.ludus.agents.Agents}: a map from id to spec,
 * filled by providers that {@link ServiceLoader} finds ({@code META-INF/services/<provider interface>}) or by
 * direct {@link #register} calls. A provider is registered whole or not at all: an id that is taken (or listed
 * twice) rejects it with an error naming both providers and where they came from; a provider that cannot be
 * loaded or whose spec list throws is reported. Nothing here is fatal: discovery returns its errors.
 *
 * @param <P> the provider SPI, e.g. {@link EnvProvider}
 * @param <S> the spec it provides, e.g. {@link EnvSpec}
 */
public final class Registry<P, S> {

    /** Origin reported for specs shipped in Ludus itself. */
    public static final String BUILT_IN = "built-in";

    private record Registration<S>(S spec, String provider, String origin) {
        String describe() {
            return provider + " (" + origin + ")";
        }
    }

    private final String kind;
    private final Class<P> providerType;
    private final Function<P, List<S>> specsOf;
    private final Function<S, String> idOf;
    private final Map<String, Registration<S>> entries = new LinkedHashMap<>();
    private final Set<Class<?>> providerClasses = new HashSet<>();
    private final String builtInLocation;

    /**
     * @param kind         what the ids name, for messages: {@code "env"}, {@code "agent"}
     * @param providerType the SPI interface {@link ServiceLoader} looks up
     * @param specsOf      a provider's specs ({@code EnvProvider::specs})
     * @param idOf         a spec's unique id ({@code EnvSpec::id})
     * @param builtIn      a class of the module that ships the built-in providers: discovered providers from the
     *                     same jar or directory get the origin {@link #BUILT_IN}
     */
    public Registry(String kind, Class<P> providerType, Function<P, List<S>> specsOf, Function<S, String> idOf,
                    Class<?> builtIn) {
        this.kind = kind;
        this.builtInLocation = locationOf(builtIn);
        this.providerType = providerType;
        this.specsOf = specsOf;
        this.idOf = idOf;
    }

    /** The spec registered under {@code id}, or null. */
    public synchronized S find(String id) {
        Registration<S> r = id == null ? null : entries.get(id);
        return r == null ? null : r.spec();
    }

    /** {@link #BUILT_IN}, the jar or directory of the provider, or the origin given to {@link #register}; null if unknown. */
    public synchronized String origin(String id) {
        Registration<S> r = id == null ? null : entries.get(id);
        return r == null ? null : r.origin();
    }

    /** All ids, in registration order. */
    public synchronized List<String> ids() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /**
     * Registers one spec directly (Gymnasium's {@code gym.register}).
     *
     * @throws IllegalArgumentException if the id is taken, naming who holds it
     */
    public synchronized void register(S spec, String origin) {
        if (spec == null) {
            throw new IllegalArgumentException("register: spec must not be null");
        }
        String where = origin == null || origin.isBlank() ? "register" : origin;
        String id = idOf.apply(spec);
        Registration<S> existing = entries.get(id);
        if (existing != null) {
            throw new IllegalArgumentException("duplicate " + kind + " id '" + id + "': registered by "
                    + existing.describe() + " and again by register (" + where + ")");
        }
        entries.put(id, new Registration<>(spec, "register", where));
    }

    /**
     * Registers the specs of every provider visible to {@code loader} that is not registered yet (providers
     * already known, e.g. through a parent loader, are skipped).
     *
     * @param origin where the loader's classes come from, e.g. a plug-in jar's file name; {@code null} to use
     *               each provider's code source location
     * @return the errors, empty when everything registered
     */
    public synchronized List<String> discover(ClassLoader loader, String origin) {
        if (loader == null) {
            throw new IllegalArgumentException("discover: loader must not be null");
        }
        List<String> errors = new ArrayList<>();
        Iterator<ServiceLoader.Provider<P>> it = ServiceLoader.load(providerType, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<P> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                errors.add(kind + " provider could not be loaded" + (origin == null ? "" : " from " + origin) + ": "
                        + e.getMessage());
                continue;
            }
            Class<? extends P> type = candidate.type();
            if (providerClasses.contains(type)) {
                continue;
            }
            String where = origin != null ? origin : locationOf(type);
            if (origin == null && where.equals(builtInLocation)) {
                where = BUILT_IN;
            }
            P provider;
            try {
                provider = candidate.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                errors.add(kind + " provider " + type.getName() + " (" + where + ") could not be instantiated: " + e);
                continue;
            }
            errors.addAll(registerProvider(provider, where));
        }
        return errors;
    }

    /** Registers all specs of {@code provider}, or none; returns the errors. */
    public synchronized List<String> registerProvider(P provider, String origin) {
        String name = provider.getClass().getName();
        List<S> specs;
        try {
            specs = specsOf.apply(provider);
        } catch (RuntimeException | LinkageError e) {
            return List.of(kind + " provider " + name + " (" + origin + ") failed to list its specs: " + e);
        }
        if (specs == null) {
            return List.of(kind + " provider " + name + " (" + origin + ") returned null specs");
        }
        Registration<S> self = new Registration<>(null, name, origin);
        List<String> errors = new ArrayList<>();
        Map<String, Registration<S>> accepted = new LinkedHashMap<>();
        for (S spec : specs) {
            if (spec == null) {
                errors.add(kind + " provider " + self.describe() + " returned a null spec");
                continue;
            }
            String id = idOf.apply(spec);
            Registration<S> existing = entries.get(id);
            if (existing != null) {
                errors.add("duplicate " + kind + " id '" + id + "': registered by " + existing.describe()
                        + " and again by " + self.describe() + "; the second provider was not registered");
            } else if (accepted.containsKey(id)) {
                errors.add("duplicate " + kind + " id '" + id + "': listed twice by " + self.describe()
                        + "; the provider was not registered");
            } else {
                accepted.put(id, new Registration<>(spec, name, origin));
            }
        }
        // all or nothing, so a rejected provider leaves no partial registration behind
        providerClasses.add(provider.getClass());
        if (errors.isEmpty()) {
            entries.putAll(accepted);
        }
        return errors;
    }

    /** The file name of the jar or directory {@code type} was loaded from, or {@code "classpath"}. */
    public static String locationOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            if (url != null) {
                String path = url.getPath();
                String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                return trimmed.substring(trimmed.lastIndexOf('/') + 1);
            }
        } catch (SecurityException ignored) {
            // fall through to the generic name
        }
        return "classpath";
    }
}
