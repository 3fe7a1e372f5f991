package dev.ludus.envs;

import dev.ludus.envs.classic.Acrobot;
import dev.ludus.envs.classic.CartPole;
import dev.ludus.envs.classic.MountainCar;
import dev.ludus.envs.classic.Pendulum;
import dev.ludus.envs.toytext.CliffWalking;
import dev.ludus.envs.toytext.FrozenLake;
import dev.ludus.envs.wrappers.MaskVelocity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The envs shipped with Ludus, with Gymnasium 1.x's ids, time limits, reward thresholds and keyword
 * arguments, plus rl-baselines3-zoo's velocity-masked variants.
 */
final class BuiltinEnvs implements EnvProvider {
    @Override
    public List<EnvSpec> specs() {
        return List.of(
                new EnvSpec("CartPole-v1", CartPole::new, 500, 475.0),
                new EnvSpec("MountainCar-v0", MountainCar::new, 200, -110.0),
                new EnvSpec("Acrobot-v1", Acrobot::new, 500, -100.0),
                new EnvSpec("Pendulum-v1", Pendulum::new, 200, null),
                new EnvSpec("FrozenLake-v1", BuiltinEnvs::frozenLake, 100, 0.70, frozenLakeKwargs("4x4")),
                new EnvSpec("FrozenLake8x8-v1", BuiltinEnvs::frozenLake, 200, 0.85, frozenLakeKwargs("8x8")),
                // Gymnasium registers CliffWalking without a time limit or reward threshold
                new EnvSpec("CliffWalking-v1", BuiltinEnvs::cliffWalking, null, null, Map.of("is_slippery", false)),
                new EnvSpec("CliffWalkingSlippery-v1", BuiltinEnvs::cliffWalking, null, null,
                        Map.of("is_slippery", true)),
                // rl-baselines3-zoo (import_envs.py) registers MaskVelocityWrapper(gym.make(base)) under
                // "<name>NoVel-v<version>"; gym.make(base) carries the base's time limit, kept here too
                new EnvSpec("CartPoleNoVel-v1", () -> MaskVelocity.of(new CartPole(), "CartPole-v1"), 500, 475.0),
                new EnvSpec("PendulumNoVel-v1", () -> MaskVelocity.of(new Pendulum(), "Pendulum-v1"), 200, null),
                new EnvSpec("MountainCarNoVel-v0", () -> MaskVelocity.of(new MountainCar(), "MountainCar-v0"), 200,
                        -110.0));
    }

    /** Gymnasium's FrozenLakeEnv(desc=None, map_name, is_slippery=True, success_rate=1/3). */
    private static Map<String, Object> frozenLakeKwargs(String mapName) {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("desc", null);
        kwargs.put("map_name", mapName);
        kwargs.put("is_slippery", true);
        kwargs.put("success_rate", 1.0 / 3.0);
        return kwargs;
    }

    private static FrozenLake frozenLake(EnvKwargs kwargs) {
        List<String> desc = kwargs.strings("desc");
        String mapName = kwargs.string("map_name");
        boolean slippery = kwargs.bool("is_slippery");
        double successRate = kwargs.number("success_rate");
        if (!(successRate >= 0 && successRate <= 1)) {
            throw kwargs.invalid("success_rate", "must be in [0, 1], got " + successRate);
        }
        if (desc == null) {
            if ("4x4".equals(mapName)) {
                desc = FrozenLake.MAP_4X4;
            } else if ("8x8".equals(mapName)) {
                desc = FrozenLake.MAP_8X8;
            } else {
                // Gymnasium draws a random 8x8 map when both are None; Ludus maps are always given
                throw kwargs.invalid("map_name", "must be '4x4' or '8x8' (or give desc), got "
                        + (mapName == null ? "null" : "'" + mapName + "'"));
            }
        }
        try {
            return new FrozenLake(desc, slippery, successRate);
        } catch (IllegalArgumentException e) {
            throw kwargs.invalid("desc", e.getMessage());
        }
    }

    private static CliffWalking cliffWalking(EnvKwargs kwargs) {
        return new CliffWalking(kwargs.bool("is_slippery"));
    }
}
