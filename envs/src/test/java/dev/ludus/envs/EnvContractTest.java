package dev.ludus.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ludus.envs.testplugin.RandomWalkProvider;
import dev.ludus.envs.toytext.TabularModel;
import dev.ludus.envs.toytext.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Env contract, checked for every registered id: the built-ins and the test plug-in. */
class EnvContractTest {

    static Stream<String> ids() {
        return Envs.ids().stream();
    }

    @Test
    void everyBuiltInAndThePluginAreRegistered() {
        assertTrue(Envs.ids().containsAll(List.of("CartPole-v1", "MountainCar-v0", "Acrobot-v1", "Pendulum-v1",
                "FrozenLake-v1", "FrozenLake8x8-v1", "CliffWalking-v1", "CliffWalkingSlippery-v1",
                RandomWalkProvider.ID)), Envs.ids().toString());
    }

    @ParameterizedTest
    @MethodSource("ids")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void observationsLieInTheObservationSpace(String id) {
        Env env = Envs.make(id);
        Space obsSpace = env.observationSpace();
        Space actSpace = env.actionSpace();
        SplittableRandom policy = new SplittableRandom(11);
        int steps = 0;
        for (int episode = 0; episode < 5; episode++) {
            Reset r = env.reset(1000 + episode);
            assertTrue(obsSpace.contains(r.observation()), id + " reset observation " + show(r.observation()));
            assertNotNull(r.info());
            for (int t = 0; t < 600; t++) {
                Step s = env.step(actSpace.sample(policy));
                steps++;
                assertTrue(obsSpace.contains(s.observation()),
                        id + " observation " + show(s.observation()) + " not in " + obsSpace);
                assertTrue(Double.isFinite(s.reward()), id + " reward " + s.reward());
                assertNotNull(s.info());
                if (s.done()) {
                    break;
                }
            }
        }
        assertTrue(steps > 5, id + " took only " + steps + " steps");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void sameSeedGivesTheSameTrajectory(String id) {
        List<Object> a = trajectory(id, 42, 7);
        List<Object> b = trajectory(id, 42, 7);
        assertEquals(a.size(), b.size(), id);
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof double[] dx) {
                assertArrayEquals(dx, (double[]) y, id + " item " + i);
            } else {
                assertEquals(x, y, id + " item " + i);
            }
        }
    }

    /** Three episodes of observations, rewards and flags under a seeded random policy. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> trajectory(String id, long seed, long policySeed) {
        Env env = Envs.make(id);
        SplittableRandom policy = new SplittableRandom(policySeed);
        List<Object> out = new ArrayList<>();
        for (int episode = 0; episode < 3; episode++) {
            out.add(env.reset(seed + episode).observation());
            for (int t = 0; t < 300; t++) {
                Step s = env.step(env.actionSpace().sample(policy));
                out.add(s.observation());
                out.add(s.reward());
                out.add(s.terminated());
                out.add(s.truncated());
                if (s.done()) {
                    break;
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("ids")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void stepBeforeResetOrAfterTheEndIsRefused(String id) {
        Env env = Envs.make(id);
        SplittableRandom policy = new SplittableRandom(3);
        IllegalStateException before = assertThrows(IllegalStateException.class,
                () -> env.step(env.actionSpace().sample(policy)));
        assertTrue(before.getMessage().contains("before reset"), before.getMessage());

        Integer limit = Envs.spec(id).maxEpisodeSteps();
        for (long seed = 0; seed < 50; seed++) {
            env.reset(seed);
            for (int t = 0; t < (limit == null ? 5000 : limit); t++) {
                Step s = env.step(env.actionSpace().sample(policy));
                if (s.done()) {
                    IllegalStateException after = assertThrows(IllegalStateException.class,
                            () -> env.step(env.actionSpace().sample(policy)));
                    assertTrue(after.getMessage().contains("after the episode ended"), after.getMessage());
                    env.reset(seed); // and a reset makes it usable again
                    env.step(env.actionSpace().sample(policy));
                    return;
                }
            }
        }
        fail(id + ": no episode ended in 50 tries");
    }

    /**
     * Plays so that the episode never terminates (physics envs: the state is put back to the reset state
     * before every step; tabular envs: the action least likely to reach a terminal state; other envs:
     * random play over many seeds) and checks the time limit truncates exactly at maxEpisodeSteps.
     */
    @ParameterizedTest
    @MethodSource("ids")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void truncationHappensExactlyAtTheTimeLimit(String id) {
        Integer limit = Envs.spec(id).maxEpisodeSteps();
        Env env = Envs.make(id);
        int horizon = limit == null ? 3000 : limit;
        SplittableRandom policy = new SplittableRandom(5);
        for (long seed = 0; seed < 500; seed++) {
            Object obs = env.reset(seed).observation();
            Env inner = env.unwrapped();
            double[] start = inner instanceof PhysicsState p ? p.state() : null;
            boolean survived = true;
            for (int t = 1; t <= horizon; t++) {
                if (start != null) {
                    ((PhysicsState) inner).setState(start);
                }
                Object action = inner instanceof TabularModel m ? safestAction(m, (Integer) obs)
                        : env.actionSpace().sample(policy);
                Step s = env.step(action);
                obs = s.observation();
                if (limit != null && t == limit) {
                    assertTrue(s.truncated(), id + ": step " + t + " must be truncated");
                } else {
                    assertFalse(s.truncated(), id + ": step " + t + " truncated before the limit " + limit);
                }
                if (s.terminated()) {
                    survived = false;
                    break;
                }
            }
            if (survived) {
                if (limit != null) {
                    assertEquals(limit, ((RegisteredEnv<?, ?>) env).elapsedSteps());
                    assertThrows(IllegalStateException.class, () -> env.step(env.actionSpace().sample(policy)));
                }
                return;
            }
        }
        fail(id + ": no episode survived to the horizon " + horizon + " in 500 seeds");
    }

    private static int safestAction(TabularModel model, int state) {
        int best = 0;
        double bestRisk = Double.MAX_VALUE;
        for (int a = 0; a < model.actionCount(); a++) {
            double risk = 0;
            for (Transition t : model.transitions(state, a)) {
                if (t.terminated()) {
                    risk += t.prob();
                }
            }
            if (risk < bestRisk) {
                bestRisk = risk;
                best = a;
            }
        }
        return best;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void typedMakeAgreesWithTheSpaces(String id) {
        Env<?, ?> env = Envs.make(id);
        Class<?> obs = env.observationSpace() instanceof Box ? double[].class : Integer.class;
        Class<?> act = env.actionSpace() instanceof Box ? double[].class : Integer.class;
        assertNotNull(Envs.make(id, obs, act));
        Class<?> wrongObs = obs == Integer.class ? double[].class : Integer.class;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envs.make(id, wrongObs, act));
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains("observations"), e.getMessage());
    }

    private static String show(Object o) {
        return o instanceof double[] d ? java.util.Arrays.toString(d) : Objects.toString(o);
    }
}
