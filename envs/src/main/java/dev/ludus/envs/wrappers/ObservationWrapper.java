package dev.ludus.envs.wrappers;

import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;

/**
 * A wrapper that transforms every observation, of resets and steps alike (Gymnasium's
 * {@code ObservationWrapper}).
 */
public abstract class ObservationWrapper<O, A> extends Wrapper<O, A> {

    protected ObservationWrapper(Env<O, A> env) {
        super(env);
    }

    /** The observation handed out for {@code observation} from the wrapped env. */
    protected abstract O observation(O observation);

    @Override
    public Reset<O> reset(long seed) {
        Reset<O> r = env.reset(seed);
        return new Reset<>(observation(r.observation()), r.info());
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        return new Step<>(observation(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }
}
