package dev.ludus.envs.testplugin;

import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import java.util.List;

/** A broken plug-in: {@code specs()} throws. Only reachable through a test-made services file. */
public final class FailingProvider implements EnvProvider {
    @Override
    public List<EnvSpec> specs() {
        throw new IllegalStateException("config file missing");
    }
}
