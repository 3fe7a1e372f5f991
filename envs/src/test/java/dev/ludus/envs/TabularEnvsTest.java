package dev.ludus.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.toytext.CliffWalking;
import dev.ludus.envs.toytext.FrozenLake;
import dev.ludus.envs.toytext.Transition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TabularEnvsTest {

    @Test
    void frozenLakeOnDryIceFollowsThePathToTheGoal() {
        FrozenLake lake = new FrozenLake(FrozenLake.MAP_4X4, false, 1.0 / 3.0);
        assertEquals(0, lake.reset(0).observation());
        int[] path = {FrozenLake.DOWN, FrozenLake.DOWN, FrozenLake.RIGHT, FrozenLake.RIGHT, FrozenLake.DOWN};
        int[] expected = {4, 8, 9, 10, 14};
        for (int i = 0; i < path.length; i++) {
            Step<Integer> s = lake.step(path[i]);
            assertEquals(expected[i], s.observation());
            assertEquals(0.0, s.reward());
            assertFalse(s.terminated());
            assertEquals(Map.of("prob", 1.0), s.info());
        }
        Step<Integer> goal = lake.step(FrozenLake.RIGHT);
        assertEquals(15, goal.observation());
        assertEquals(1.0, goal.reward());
        assertTrue(goal.terminated());
    }

    @Test
    void frozenLakeHolesTerminateWithoutReward() {
        FrozenLake lake = new FrozenLake(FrozenLake.MAP_4X4, false, 1.0 / 3.0);
        lake.reset(0);
        lake.step(FrozenLake.RIGHT);
        Step<Integer> hole = lake.step(FrozenLake.DOWN); // (1, 1) is H
        assertEquals(5, hole.observation());
        assertEquals(0.0, hole.reward());
        assertTrue(hole.terminated());
    }

    @Test
    void slipperyIceMovesAsIntendedAThirdOfTheTimeAndSidewaysOtherwise() {
        FrozenLake lake = new FrozenLake(); // FrozenLake-v1 defaults
        List<Transition> fromStartRight = lake.transitions(0, FrozenLake.RIGHT);
        // Gymnasium order [(a - 1) % 4, a, (a + 1) % 4]: down, right, up
        assertEquals(List.of(4, 1, 0), fromStartRight.stream().map(Transition::next).toList());
        int[] counts = new int[16];
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            lake.reset(i);
            counts[lake.step(FrozenLake.RIGHT).observation()]++;
        }
        for (int state : new int[] {0, 1, 4}) {
            assertEquals(1.0 / 3, counts[state] / (double) n, 0.015, "share of moves to " + state);
        }
        assertEquals(n, counts[0] + counts[1] + counts[4]);
    }

    @Test
    void theSuccessRateSetsTheIntendedMoveProbability() {
        FrozenLake lake = new FrozenLake(FrozenLake.MAP_8X8, true, 0.8);
        List<Transition> t = lake.transitions(0, FrozenLake.DOWN);
        assertEquals(0.1, t.get(0).prob(), 1e-15);
        assertEquals(0.8, t.get(1).prob(), 1e-15);
        assertEquals(0.1, t.get(2).prob(), 1e-15);
        assertEquals(64, lake.stateCount());
    }

    @Test
    void theCliffSendsThePlayerBackToTheStartWithoutEndingTheEpisode() {
        CliffWalking cliff = new CliffWalking(false);
        assertEquals(36, cliff.reset(0).observation());
        Step<Integer> fall = cliff.step(CliffWalking.RIGHT);
        assertEquals(36, fall.observation());
        assertEquals(-100.0, fall.reward());
        assertFalse(fall.terminated());
        assertEquals(24, cliff.step(CliffWalking.UP).observation());
        for (int i = 0; i < 11; i++) {
            Step<Integer> s = cliff.step(CliffWalking.RIGHT);
            assertEquals(-1.0, s.reward());
        }
        Step<Integer> goal = cliff.step(CliffWalking.DOWN);
        assertEquals(47, goal.observation());
        assertEquals(-1.0, goal.reward());
        assertTrue(goal.terminated());
        assertEquals(Map.of("prob", 1.0), goal.info());
    }

    @Test
    void slipperyCliffSplitsMovesInThirds() {
        CliffWalking cliff = new CliffWalking(true);
        List<Transition> t = cliff.transitions(24, CliffWalking.RIGHT); // (2, 0): up, right, down
        assertEquals(List.of(12, 25, 36), t.stream().map(Transition::next).toList());
        t.forEach(x -> assertEquals(1.0 / 3, x.prob(), 1e-15));
        int[] counts = new int[48];
        for (int i = 0; i < 30_000; i++) {
            cliff.reset(i);
            counts[cliff.step(CliffWalking.UP).observation()]++; // from 36: left stays, up 24, right falls to 36
        }
        assertEquals(2.0 / 3, counts[36] / 30_000.0, 0.015);
        assertEquals(1.0 / 3, counts[24] / 30_000.0, 0.015);
    }

    @Test
    void registeredIdsUseGymnasiumsLimitsAndThresholds() {
        assertEquals(100, Envs.spec("FrozenLake-v1").maxEpisodeSteps());
        assertEquals(0.70, Envs.spec("FrozenLake-v1").rewardThreshold());
        assertEquals(200, Envs.spec("FrozenLake8x8-v1").maxEpisodeSteps());
        assertEquals(0.85, Envs.spec("FrozenLake8x8-v1").rewardThreshold());
        assertEquals(null, Envs.spec("CliffWalking-v1").maxEpisodeSteps());
        assertTrue(((CliffWalking) Envs.make("CliffWalkingSlippery-v1").unwrapped()).slippery());
        assertEquals(500, Envs.spec("CartPole-v1").maxEpisodeSteps());
        assertEquals(475.0, Envs.spec("CartPole-v1").rewardThreshold());
        assertEquals(200, Envs.spec("MountainCar-v0").maxEpisodeSteps());
        assertEquals(-110.0, Envs.spec("MountainCar-v0").rewardThreshold());
        assertEquals(500, Envs.spec("Acrobot-v1").maxEpisodeSteps());
        assertEquals(-100.0, Envs.spec("Acrobot-v1").rewardThreshold());
        assertEquals(200, Envs.spec("Pendulum-v1").maxEpisodeSteps());
        assertEquals(null, Envs.spec("Pendulum-v1").rewardThreshold());
    }
}
