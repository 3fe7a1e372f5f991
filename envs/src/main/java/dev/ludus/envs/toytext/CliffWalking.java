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
import java.util.List;
import java.util.Map;

/**
 * Gymnasium's {@code CliffWalking-v1} (toy_text/cliffwalking.py): a 4x12 grid, start at (3, 0) = 36,
 * goal at (3, 11) = 47, cliff along (3, 1..10). Actions 0 up, 1 right, 2 down, 3 left. Reward -1 per
 * step; stepping into the cliff gives -100 and puts the player back at the start without ending the
 * episode; reaching the goal terminates. Slippery ({@code CliffWalkingSlippery-v1}): the intended move
 * and each perpendicular move happen with probability 1/3. No time limit in Gymnasium's registry.
 */
public final class CliffWalking implements Env<Integer, Integer>, TabularModel, Checkpointable {
    public static final int UP = 0;
    public static final int RIGHT = 1;
    public static final int DOWN = 2;
    public static final int LEFT = 3;
    public static final int ROWS = 4;
    public static final int COLS = 12;
    public static final int START = 3 * COLS;
    public static final int GOAL = ROWS * COLS - 1;

    private static final int[][] DELTAS = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};
    private static final Discrete ACTIONS = new Discrete(4);
    private static final Discrete OBSERVATIONS = new Discrete(ROWS * COLS);
    private static final Map<String, Object> RESET_INFO = Map.of("prob", 1);

    private final boolean slippery;
    private final Transitions transitions;
    private SplitMixRandom rng = new SplitMixRandom(0);
    private int s;

    /** @param slippery Gymnasium's {@code is_slippery} */
    public CliffWalking(boolean slippery) {
        this.slippery = slippery;
        Transition[][][] table = new Transition[ROWS * COLS][4][];
        for (int s = 0; s < ROWS * COLS; s++) {
            for (int a = 0; a < 4; a++) {
                int[] moves = slippery ? new int[] {Math.floorMod(a - 1, 4), a, Math.floorMod(a + 1, 4)} : new int[] {a};
                table[s][a] = new Transition[moves.length];
                for (int i = 0; i < moves.length; i++) {
                    table[s][a][i] = outcome(s / COLS, s % COLS, moves[i], 1.0 / moves.length);
                }
            }
        }
        this.transitions = new Transitions(table);
    }

    private static boolean cliff(int row, int col) {
        return row == ROWS - 1 && col >= 1 && col <= COLS - 2;
    }

    private static Transition outcome(int row, int col, int move, double prob) {
        int r = Math.max(Math.min(row + DELTAS[move][0], ROWS - 1), 0);
        int c = Math.max(Math.min(col + DELTAS[move][1], COLS - 1), 0);
        if (cliff(r, c)) {
            return new Transition(prob, START, -100, false);
        }
        return new Transition(prob, r * COLS + c, -1, r == ROWS - 1 && c == COLS - 1);
    }

    @Override
    public int stateCount() {
        return OBSERVATIONS.n();
    }

    @Override
    public int actionCount() {
        return ACTIONS.n();
    }

    @Override
    public List<Transition> transitions(int state, int action) {
        return transitions.outcomes(state, action);
    }

    public boolean slippery() {
        return slippery;
    }

    /** Current state (Gymnasium's {@code env.unwrapped.s}). */
    public int position() {
        return s;
    }

    @Override
    public Discrete observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Discrete actionSpace() {
        return ACTIONS;
    }

    @Override
    public Reset<Integer> reset(long seed) {
        rng = new SplitMixRandom(seed);
        s = START;
        return new Reset<>(s, RESET_INFO);
    }

    @Override
    public Step<Integer> step(Integer action) {
        Transition o = transitions.sample(s, ACTIONS.checkAction(action), rng);
        s = o.next();
        return new Step<>(s, o.reward(), o.terminated(), false, o.info());
    }

    /** The state and the random stream a slippery step draws from. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "CliffWalking");
        out.writeInt(s);
        StateIO.random(out, rng);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "CliffWalking");
        s = in.readInt();
        rng = StateIO.random(in);
    }
}
