package dev.ludus.envs.testplugin;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A third-party plug-in as a user would write it: one provider class, one services line
 * ({@code src/test/resources/META-INF/services/dev.ludus.envs.EnvProvider}). Its env is a noisy walk
 * on 0..10 starting in the middle; reaching 10 pays 1 and terminates, reaching 0 terminates.
 */
public final class RandomWalkProvider implements EnvProvider {
    public static final String ID = "test/RandomWalk-v0";

    @Override
    public List<EnvSpec> specs() {
        return List.of(new EnvSpec(ID, RandomWalk::new, 30, 0.5));
    }

    static final class RandomWalk implements Env<Integer, Integer> {
        private static final Discrete OBS = new Discrete(11);
        private static final Discrete ACT = new Discrete(2);
        private SplittableRandom rng = new SplittableRandom(0);
        private int position;

        @Override
        public Discrete observationSpace() {
            return OBS;
        }

        @Override
        public Discrete actionSpace() {
            return ACT;
        }

        @Override
        public Reset<Integer> reset(long seed) {
            rng = new SplittableRandom(seed);
            position = 5;
            return new Reset<>(position);
        }

        @Override
        public Step<Integer> step(Integer action) {
            int a = ACT.checkAction(action);
            // the intended direction 70% of the time
            int dir = (a == 1 ? 1 : -1) * (rng.nextDouble() < 0.7 ? 1 : -1);
            position += dir;
            boolean done = position == 0 || position == 10;
            return new Step<>(position, position == 10 ? 1.0 : 0.0, done, false);
        }
    }
}
