package dev.ludus.envs.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import dev.ludus.envs.vector.AutoresetMode;
import dev.ludus.envs.vector.SyncVectorEnv;
import dev.ludus.envs.wrappers.ClipAction;
import dev.ludus.envs.wrappers.NormalizeObservation;
import dev.ludus.envs.wrappers.NormalizeReward;
import dev.ludus.envs.wrappers.RecordEpisodeStatistics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A restored env continues exactly as the one that wrote its state, mid-episode, for every built-in env. */
class EnvStateTest {

    @Test
    void everyBuiltInEnvContinuesFromItsState() throws IOException {
        for (String id : List.of("CartPole-v1", "MountainCar-v0", "Acrobot-v1", "Pendulum-v1", "FrozenLake-v1",
                "CliffWalking-v1", "CliffWalkingSlippery-v1", "FrozenLake8x8-v1", "CartPoleNoVel-v1", "PendulumNoVel-v1")) {
            Supplier<Env<?, ?>> make = () -> Envs.make(id);
            assertContinues(id, make);
        }
        
    }

    @Test
    void wrapperChainsCarryTheirStatistics() throws IOException {
        assertContinues("normalised Pendulum", () -> new NormalizeReward<>(new NormalizeObservation<>(
                new ClipAction<>(new RecordEpisodeStatistics<>(Envs.make("Pendulum-v1", double[].class, double[].class))))));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertContinues(String what, Supplier<Env<?, ?>> make) throws IOException {
        Env env = make.get();
        assertTrue(Checkpointable.checkpointable(env), what);
        SplittableRandom actions = new SplittableRandom(3);
        env.reset(11);
        for (int t = 0; t < 37; t++) {
            Step s = env.step(env.actionSpace().sample(actions));
            if (s.terminated() || s.truncated()) {
                env.reset(actions.nextLong());
            }
        }
        byte[] state = write((Checkpointable) env);
        Env restored = make.get();
        ((Checkpointable) restored).readState(new DataInputStream(new ByteArrayInputStream(state)));
        SplittableRandom actionsCopy = new SplittableRandom(99);
        SplittableRandom actionsOriginal = new SplittableRandom(99);
        for (int t = 0; t < 300; t++) {
            Step a = env.step(env.actionSpace().sample(actionsOriginal));
            Step b = restored.step(restored.actionSpace().sample(actionsCopy));
            assertEquals(a.reward(), b.reward(), what + " reward at " + t);
            assertEquals(a.terminated(), b.terminated(), what);
            assertEquals(a.truncated(), b.truncated(), what + " truncation at " + t);
            assertObservationEquals(a.observation(), b.observation(), what + " at " + t);
            if (a.terminated() || a.truncated()) {
                long seed = actionsOriginal.nextLong();
                actionsCopy.nextLong();
                assertObservationEquals(env.reset(seed).observation(), restored.reset(seed).observation(), what);
            }
        }
    }

    private static void assertObservationEquals(Object a, Object b, String what) {
        if (a instanceof double[] x) {
            assertArrayEquals(x, (double[]) b, what);
        } else {
            assertEquals(a, b, what);
        }
    }

    @Test
    void aVectorEnvKeepsItsBuffersAndOwnSeedStreams() throws IOException {
        SyncVectorEnv envs = SyncVectorEnv.make("CartPole-v1", 3);
        envs.reset(new long[] {1, 2, 3});
        int[] actions = new int[3];
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 60; t++) { // crosses autoresets, so the own seed streams have been drawn from
            for (int i = 0; i < 3; i++) {
                actions[i] = rng.nextInt(2);
            }
            envs.step(actions);
        }
        byte[] state = write(envs);
        SyncVectorEnv restored = SyncVectorEnv.make("CartPole-v1", 3);
        restored.readState(new DataInputStream(new ByteArrayInputStream(state)));
        assertArrayEquals(envs.observations(), restored.observations());
        for (int t = 0; t < 400; t++) {
            for (int i = 0; i < 3; i++) {
                actions[i] = rng.nextInt(2);
            }
            envs.step(actions);
            restored.step(actions);
            assertArrayEquals(envs.observations(), restored.observations(), "step " + t);
            assertArrayEquals(envs.rewards(), restored.rewards());
            assertArrayEquals(envs.autoreset(), restored.autoreset());
        }
    }

    @Test
    void anEnvWithoutTheContractIsNotCheckpointable() {
        Env<Integer, Integer> plain = new Env<>() {
            @Override
            public Space<Integer> observationSpace() {
                return new Discrete(2);
            }

            @Override
            public Space<Integer> actionSpace() {
                return new Discrete(2);
            }

            @Override
            public Reset<Integer> reset(long seed) {
                return new Reset<>(0, Map.of());
            }

            @Override
            public Step<Integer> step(Integer action) {
                return new Step<>(0, 0, false, false, Map.of());
            }
        };
        assertFalse(Checkpointable.checkpointable(plain));
        RecordEpisodeStatistics<Integer, Integer> wrapped = new RecordEpisodeStatistics<>(plain);
        assertFalse(Checkpointable.checkpointable(wrapped));
        assertThrows(IOException.class, () -> write(wrapped));
        assertFalse(Checkpointable.checkpointable(new SyncVectorEnv(List.of(plain), AutoresetMode.SAME_STEP)));
    }

    @Test
    void aStateOfAnotherEnvIsRefusedNamingIt() throws IOException {
        Env<?, ?> cartPole = Envs.make("CartPole-v1");
        cartPole.reset(1);
        byte[] state = write((Checkpointable) cartPole);
        Checkpointable pendulum = (Checkpointable) Envs.make("Pendulum-v1");
        IOException e = assertThrows(IOException.class,
                () -> pendulum.readState(new DataInputStream(new ByteArrayInputStream(state))));
        assertTrue(e.getMessage().contains("CartPole-v1"), e.getMessage());
    }

    static byte[] write(Checkpointable c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            c.writeState(out);
        }
        return bytes.toByteArray();
    }
}
