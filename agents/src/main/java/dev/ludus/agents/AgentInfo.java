package dev.ludus.agents;

import java.util.List;
import java.util.Objects;

/**
 * What the platform shows about an agent: its name, one line about it, and the hyperparameters it
 * accepts (every one defaulted).
 */
public record AgentInfo(String name, String description, List<ParamSpec> params) {
    public AgentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        params = List.copyOf(params);
    }

    /** The names of the accepted params, in declaration order. */
    public List<String> paramNames() {
        return params.stream().map(ParamSpec::name).toList();
    }
}
