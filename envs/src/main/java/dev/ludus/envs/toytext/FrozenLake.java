package dev.ludus.envs.toytext;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import dev.ludus.envs.state.SplitMixRandom;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gymnasium's {@code FrozenLake-v1} (toy_text/frozen_lake.py): walk from S to G over frozen tiles (F)
 * without falling into holes (H). Actions 0 left, 1 down, 2 right, 3 up. Reward 1 on reaching G, else 0;
 * terminated in G or H. Slippery (the default): the intended move happens with {@code successRate}
 * (1/3), each perpendicular move with half the rest. Observation: row * ncol + col. Info:
 * {@code {"prob": p}} of the sampled transition.
 */
public final class FrozenLake implements Env<Integer, Integer>, TabularModel, Checkpointable {
    public static final int LEFT = 0;
    public static final int DOWN = 1;
    public static final int RIGHT = 2;
    public static final int UP = 3;

    /** Gymnasium's {@code MAPS["4x4"]}. */
    public static final List<String> MAP_4X4 = List.of("SFFF", "FHFH", "FFFH", "HFFG");
    /** Gymnasium's {@code MAPS["8x8"]}. */
    public static final List<String> MAP_8X8 = List.of(
            "SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG");

    private static final Discrete ACTIONS = new Discrete(4);
    private static final Map<String, Object> RESET_INFO = Map.of("prob", 1);

    private final List<String> desc;
    private final int nrow;
    private final int ncol;
    private final int[] startStates;
    private final Transitions transitions;
    private final Discrete observations;
    private SplitMixRandom rng = new SplitMixRandom(0);
    private int s;

    /** The 4x4 map, slippery, success rate 1/3 ({@code FrozenLake-v1}). */
    public FrozenLake() {
        this(MAP_4X4, true, 1.0 / 3.0);
    }

    /**
     * @param desc        rows of equal length over {@code S F H G}, at least one S
     * @param slippery    Gymnasium's {@code is_slippery}
     * @param successRate probability of the intended move when slippery, in [0, 1]
     */
    public FrozenLake(List<String> desc, boolean slippery, double successRate) {
        if (desc == null || desc.isEmpty()) {
            throw new IllegalArgumentException("FrozenLake.desc must have at least one row");
        }
        if (!(successRate >= 0.0 && successRate <= 1.0)) {
            throw new IllegalArgumentException("FrozenLake.successRate must be in [0, 1], got " + successRate);
        }
        this.desc = List.copyOf(desc);
        this.nrow = desc.size();
        this.ncol = desc.get(0).length();
        List<Integer> starts = new ArrayList<>();
        for (int r = 0; r < nrow; r++) {
            String row = desc.get(r);
            if (row == null || row.length() != ncol || ncol == 0) {
                throw new IllegalArgumentException("FrozenLake.desc rows must all have length " + ncol + ", row " + r
                        + " is '" + row + "'");
            }
            for (int c = 0; c < ncol; c++) {
                char ch = row.charAt(c);
                if ("SFHG".indexOf(ch) < 0) {
                    throw new IllegalArgumentException("FrozenLake.desc row " + r + " has '" + ch
                            + "' at column " + c + "; allowed: S F H G");
                }
                if (ch == 'S') {
                    starts.add(r * ncol + c);
                }
            }
        }
        if (starts.isEmpty()) {
            throw new IllegalArgumentException("FrozenLake.desc needs a start tile S");
        }
        this.startStates = starts.stream().mapToInt(Integer::intValue).toArray();
        this.observations = new Discrete(nrow * ncol);
        this.transitions = build(slippery, successRate);
    }

    private Transitions build(boolean slippery, double successRate) {
        double failRate = (1.0 - successRate) / 2.0;
        Transition[][][] table = new Transition[nrow * ncol][4][];
        for (int row = 0; row < nrow; row++) {
            for (int col = 0; col < ncol; col++) {
                int s = row * ncol + col;
                char letter = desc.get(row).charAt(col);
                for (int a = 0; a < 4; a++) {
                    if (letter == 'G' || letter == 'H') {
                        table[s][a] = new Transition[] {new Transition(1.0, s, 0, true)};
                    } else if (slippery) {
                        int[] moves = {Math.floorMod(a - 1, 4), a, Math.floorMod(a + 1, 4)};
                        table[s][a] = new Transition[3];
                        for (int i = 0; i < 3; i++) {
                            table[s][a][i] = move(row, col, moves[i], moves[i] == a ? successRate : failRate);
                        }
                    } else {
                        table[s][a] = new Transition[] {move(row, col, a, 1.0)};
                    }
                }
            }
        }
        return new Transitions(table);
    }

    private Transition move(int row, int col, int a, double prob) {
        switch (a) {
            case LEFT -> col = Math.max(col - 1, 0);
            case DOWN -> row = Math.min(row + 1, nrow - 1);
            case RIGHT -> col = Math.min(col + 1, ncol - 1);
            default -> row = Math.max(row - 1, 0);
        }
        char letter = desc.get(row).charAt(col);
        return new Transition(prob, row * ncol + col, letter == 'G' ? 1.0 : 0.0,
                letter == 'G' || letter == 'H');
    }

    /** The map rows. */
    public List<String> desc() {
        return desc;
    }

    /** Current state (Gymnasium's {@code env.unwrapped.s}). */
    public int position() {
        return s;
    }

    @Override
    public int stateCount() {
        return observations.n();
    }

    @Override
    public int actionCount() {
        return ACTIONS.n();
    }

    @Override
    public List<Transition> transitions(int state, int action) {
        return transitions.outcomes(state, action);
    }

    @Override
    public Discrete observationSpace() {
        return observations;
    }

    @Override
    public Discrete actionSpace() {
        return ACTIONS;
    }

    @Override
    public Reset<Integer> reset(long seed) {
        rng = new SplitMixRandom(seed);
        s = startStates.length == 1 ? startStates[0] : startStates[rng.nextInt(startStates.length)];
        return new Reset<>(s, RESET_INFO);
    }

    @Override
    public Step<Integer> step(Integer action) {
        Transition o = transitions.sample(s, ACTIONS.checkAction(action), rng);
        s = o.next();
        return new Step<>(s, o.reward(), o.terminated(), false, o.info());
    }

    @Override
    public String toString() {
        return "FrozenLake" + desc;
    }

    /** The state and the random stream a slippery step draws from. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "FrozenLake");
        out.writeInt(s);
        StateIO.random(out, rng);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "FrozenLake");
        s = in.readInt();
        rng = StateIO.random(in);
    }
}
