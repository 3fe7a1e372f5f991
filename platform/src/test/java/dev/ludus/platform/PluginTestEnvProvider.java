package dev.ludus.platform;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import java.util.List;

/**
 * A plug-in env for the plug-in test: it is on the test classpath but registered only through the
 * {@code META-INF/services} file of a jar the test writes into {@code plugins/}.
 */
public final class PluginTestEnvProvider implements EnvProvider {

    @Override
    public List<EnvSpec> specs() {
        return List.of(new EnvSpec("Plugged-v0", Coin::new, 5, 1.0));
    }

    /** Guess a coin that always shows 1: reward 1 for action 1. */
    static final class Coin implements Env<Integer, Integer> {
        private final Discrete obs = new Discrete(1);
        private final Discrete act = new Discrete(2);

        @Override
        public Space<Integer> observationSpace() {
            return obs;
        }

        @Override
        public Space<Integer> actionSpace() {
            return act;
        }

        @Override
        public Reset<Integer> reset(long seed) {
            return new Reset<>(0);
        }

        @Override
        public Step<Integer> step(Integer action) {
            return new Step<>(0, act.checkAction(action) == 1 ? 1.0 : 0.0, true, false);
        }
    }
}
