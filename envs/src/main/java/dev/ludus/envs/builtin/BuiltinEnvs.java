package dev.ludus.envs.builtin;

import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import java.util.List;

/** The envs shipped with Ludus, with Gymnasium 1.x's ids, time limits and reward thresholds. */
public final class BuiltinEnvs implements EnvProvider {
    @Override
    public List<EnvSpec> specs() {
        return List.of();
    }
}
