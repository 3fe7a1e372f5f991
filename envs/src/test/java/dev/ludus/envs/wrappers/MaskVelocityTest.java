package dev.ludus.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.PhysicsState;
import dev.ludus.envs.RegisteredEnv;
import dev.ludus.envs.Step;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rl-baselines3-zoo's NoVel ids mask the components its MaskVelocityWrapper.velocity_indices name. */
class MaskVelocityTest {

    @ParameterizedTest
    @CsvSource({"CartPoleNoVel-v1, CartPole-v1, 1 3", "PendulumNoVel-v1, Pendulum-v1, 2",
            "MountainCarNoVel-v0, MountainCar-v0, 1"})
    void noVelIdsZeroTheVelocitiesAndKeepTheRest(String noVelId, String baseId, String masked) {
        Set<Integer> maskedIndices = new java.util.HashSet<>();
        for (String s : masked.split(" ")) {
            maskedIndices.add(Integer.parseInt(s));
        }
        Env<?, ?> noVel = Envs.make(noVelId);
        Env<?, ?> base = Envs.make(baseId);
        assertEquals(base.observationSpace(), noVel.observationSpace(), "the zoo keeps the observation space");
        assertEquals(base.actionSpace(), noVel.actionSpace());
        assertEquals(Envs.spec(baseId).maxEpisodeSteps(), ((RegisteredEnv<?, ?>) noVel).spec().maxEpisodeSteps());
        assertTrue(noVel.unwrapped() instanceof PhysicsState, "unwrapped reaches the physics env");
        @SuppressWarnings("unchecked")
        Env<double[], Object> a = (Env<double[], Object>) noVel;
        @SuppressWarnings("unchecked")
        Env<double[], Object> b = (Env<double[], Object>) base;
        a.reset(9);
        b.reset(9);
        SplittableRandom rng = new SplittableRandom(4);
        boolean sawNonZeroVelocity = false;
        for (int t = 0; t < 30; t++) {
            Object action = base.actionSpace().sample(rng);
            Step<double[]> sa = a.step(action);
            Step<double[]> sb = b.step(action);
            for (int j = 0; j < sb.observation().length; j++) {
                if (maskedIndices.contains(j)) {
                    assertEquals(0.0, Math.abs(sa.observation()[j]), "component " + j + " is masked");
                    sawNonZeroVelocity |= sb.observation()[j] != 0.0;
                } else {
                    assertEquals(sb.observation()[j], sa.observation()[j], "component " + j + " is kept");
                }
            }
            assertEquals(sb.reward(), sa.reward());
            if (sb.done()) {
                break;
            }
        }
        assertTrue(sawNonZeroVelocity, "the base env moved, so masking was visible");
        assertNotEquals(noVelId, baseId);
    }
}
