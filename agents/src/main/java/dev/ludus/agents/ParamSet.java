package dev.ludus.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An agent's hyperparameters in declaration order, plus the checks that involve several of them
 * ({@code batch_size <= buffer_size}). {@link #resolve} turns a JSON-shaped params map into validated
 * {@link ParamValues}: absent params take their default, unknown names and bad values are rejected with an
 * {@link IllegalArgumentException} whose message starts with the param name.
 */
public final class ParamSet {

    private final List<Param<?>> params;
    private final List<Consumer<ParamValues>> checks;

    private ParamSet(List<Param<?>> params, List<Consumer<ParamValues>> checks) {
        Map<String, Param<?>> byName = new LinkedHashMap<>();
        for (Param<?> p : params) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("ParamSet: param '" + p.name() + "' is declared twice");
            }
        }
        this.params = List.copyOf(params);
        this.checks = List.copyOf(checks);
    }

    public static ParamSet of(Param<?>... params) {
        return new ParamSet(List.of(params), List.of());
    }

    public static ParamSet of(List<Param<?>> params) {
        return new ParamSet(params, List.of());
    }

    /** This set plus {@code more} params (e.g. a plug-in extending a built-in agent's params). */
    public ParamSet and(Param<?>... more) {
        List<Param<?>> all = new ArrayList<>(params);
        all.addAll(List.of(more));
        return new ParamSet(all, checks);
    }

    /**
     * This set plus a check over resolved values, run after every param passed its own checks; it throws an
     * {@link IllegalArgumentException} starting with the param name at fault.
     */
    public ParamSet check(Consumer<ParamValues> check) {
        List<Consumer<ParamValues>> all = new ArrayList<>(checks);
        all.add(check);
        return new ParamSet(params, all);
    }

    public List<Param<?>> params() {
        return params;
    }

    /** The param called {@code name}, or null. */
    public Param<?> find(String name) {
        for (Param<?> p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The JSON-facing descriptions, in declaration order. */
    public List<ParamSpec> specs() {
        return params.stream().map(Param::spec).toList();
    }

    public List<String> names() {
        return params.stream().map(Param::name).toList();
    }

    /** Every param at its default. */
    public ParamValues defaults() {
        return resolve(Map.of());
    }

    /**
     * Validates a params map; {@code owner} (e.g. {@code "agent dqn"}) appears in the unknown-name message.
     *
     * @throws IllegalArgumentException starting with the param name at fault
     */
    public ParamValues resolve(Map<String, ?> raw, String owner) {
        Map<String, ?> given = raw == null ? Map.of() : raw;
        for (String key : given.keySet()) {
            if (find(key) == null) {
                throw new IllegalArgumentException(key + ": " + unknown(key, owner));
            }
        }
        Map<Param<?>, Object> values = new LinkedHashMap<>();
        for (Param<?> p : params) {
            Object value = given.get(p.name());
            values.put(p, value == null ? p.defaultValue() : p.parse(value));
        }
        ParamValues resolved = new ParamValues(this, values);
        for (Consumer<ParamValues> check : checks) {
            check.accept(resolved);
        }
        return resolved;
    }

    /**
     * Names users bring from Stable-Baselines3 and CleanRL, and ours for them: {@code learning_rate} is one edit
     * nearer {@code learning_starts} than {@code lr}, so spelling alone would suggest the wrong param.
     */
    private static final Map<String, String> FAMILIAR = Map.ofEntries(Map.entry("learning_rate", "lr"),
        Map.entry("policy_lr", "lr"), Map.entry("q_lr", "lr"), Map.entry("net_arch", "hidden"),
        Map.entry("num_envs", "n_envs"), Map.entry("num_steps", "n_steps"), Map.entry("update_epochs", "n_epochs"),
        Map.entry("clip_coef", "clip_range"), Map.entry("norm_adv", "normalize_advantage"),
        Map.entry("target_network_frequency", "target_update_interval"), Map.entry("policy_frequency", "policy_delay"),
        Map.entry("normalize", "normalize_obs"), Map.entry("norm_obs", "normalize_obs"),
        Map.entry("norm_reward", "normalize_reward"));

    /**
     * Why {@code key} is refused, for a message that starts with the field: {@code unknown parameter for agent dqn;
     * did you mean lr? Known: ...}, or {@code ...; known: ...} when nothing is near.
     */
    public String unknown(String key, String owner) {
        String near = suggestion(key);
        return "unknown parameter" + (owner == null ? "" : " for " + owner)
            + (near == null ? "; known: " : "; did you mean " + near + "? Known: ") + String.join(", ", names());
    }

    /** The declared param {@code key} most likely meant, or null. */
    private String suggestion(String key) {
        String familiar = FAMILIAR.get(key);
        if (familiar != null && find(familiar) != null) {
            return familiar;
        }
        return dev.ludus.envs.Names.closest(key, names());
    }

    public ParamValues resolve(Map<String, ?> raw) {
        return resolve(raw, null);
    }
}
