package dev.ludus.envs.testplugin;

import dev.ludus.envs.EnvProvider;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.classic.CartPole;
import java.util.List;

/** Claims a built-in id next to a fresh one; only reachable through a test-made services file. */
public final class DuplicateCartPoleProvider implements EnvProvider {
    public static final String FRESH_ID = "test/FreshButRejected-v0";

    @Override
    public List<EnvSpec> specs() {
        return List.of(new EnvSpec(FRESH_ID, CartPole::new, 10, null),
                new EnvSpec("CartPole-v1", CartPole::new, 500, 475.0));
    }
}
