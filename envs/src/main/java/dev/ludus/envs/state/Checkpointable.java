package dev.ludus.envs.state;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Something whose mid-run state can be written and read back so that, after {@link #readState}, it continues
 * exactly as the object that wrote it would have: envs (physics, elapsed steps, random streams, normalisation
 * statistics), wrappers (their own state and their env's), vector envs, agents (networks, optimiser moments,
 * buffers, random streams, counters). The object reading is built the same way as the one that wrote (same
 * spec, kwargs and params); the state holds what changed since, never the configuration.
 *
 * <p>A wrapper implements it by writing its own fields and then its env's; {@link #checkpointable(Object)} tells
 * whether a chain can be checkpointed at all (a plug-in env without this contract cannot).
 */
public interface Checkpointable {

    void writeState(DataOutputStream out) throws IOException;

    /** @throws IOException when the bytes are not a state of an object built like this one (saying why) */
    void readState(DataInputStream in) throws IOException;

    /**
     * Whether {@code o} can checkpoint its whole state: it implements this contract and, if it wraps something
     * ({@link Wrapping}), so does what it wraps.
     */
    static boolean checkpointable(Object o) {
        if (!(o instanceof Checkpointable)) {
            return false;
        }
        return !(o instanceof Wrapping w) || w.wrapped().stream().allMatch(Checkpointable::checkpointable);
    }

    /** Something holding other objects whose state it writes with its own (a wrapper's env, a vector env's envs). */
    interface Wrapping {
        java.util.List<?> wrapped();
    }
}
