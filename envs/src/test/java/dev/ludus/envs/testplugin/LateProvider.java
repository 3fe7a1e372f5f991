package dev.ludus.envs.testplugin;

import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.classic.MountainCar;
import java.util.List;

/** A plug-in found later by {@code Envs.discover}, as the platform's plugins/ folder does. */
public final class LateProvider implements EnvProvider {
    public static final String ID = "test/LateMountainCar-v0";

    @Override
    public List<EnvSpec> specs() {
        return List.of(new EnvSpec(ID, MountainCar::new, 50, null));
    }
}
