package dev.ludus.envs;

import dev.ludus.envs.classic.Acrobot;
import dev.ludus.envs.classic.CartPole;
import dev.ludus.envs.classic.MountainCar;
import dev.ludus.envs.classic.Pendulum;
import dev.ludus.envs.toytext.CliffWalking;
import dev.ludus.envs.toytext.FrozenLake;
import java.util.List;

/** The envs shipped with Ludus, with Gymnasium 1.x's ids, time limits and reward thresholds. */
final class BuiltinEnvs implements EnvProvider {
    @Override
    public List<EnvSpec> specs() {
        return List.of(
                new EnvSpec("CartPole-v1", CartPole::new, 500, 475.0),
                new EnvSpec("MountainCar-v0", MountainCar::new, 200, -110.0),
                new EnvSpec("Acrobot-v1", Acrobot::new, 500, -100.0),
                new EnvSpec("Pendulum-v1", Pendulum::new, 200, null),
                new EnvSpec("FrozenLake-v1", () -> new FrozenLake(FrozenLake.MAP_4X4, true, 1.0 / 3.0), 100, 0.70),
                new EnvSpec("FrozenLake8x8-v1", () -> new FrozenLake(FrozenLake.MAP_8X8, true, 1.0 / 3.0), 200, 0.85),
                // Gymnasium registers CliffWalking without a time limit or reward threshold
                new EnvSpec("CliffWalking-v1", () -> new CliffWalking(false), null, null),
                new EnvSpec("CliffWalkingSlippery-v1", () -> new CliffWalking(true), null, null));
    }
}
