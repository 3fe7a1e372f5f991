package dev.ludus.nn.layer;

import java.util.Arrays;

/**
 * The hidden state of every recurrent layer of a network for a batch of {@code rows} independent sequences (the
 * envs of an RL rollout, say): an LSTM's hidden and cell values, a GRU's hidden values. Made by
 * {@code Network.newState}, it starts at zero; a {@code Network.predict} or {@code Network.forwardTrain} call given it
 * starts from it and leaves in it the state after its last step, so a caller carries it from call to call and resets
 * a row when that row's sequence (episode) starts again. Gradients never flow into it: training on consecutive chunks
 * of a long sequence with the state carried across is truncated back-propagation through time.
 *
 * <p>A row's whole state is {@link #width()} floats; {@link #copyRow} and {@link #setRow} move it in and out of a
 * flat array, so a rollout can store the state it acted from at every step.
 */
public final class RecurrentState {
    private final int rows;
    /** per recurrent layer in network order: rows x units values each (an LSTM has a hidden and a cell array) */
    final float[][] hidden;
    final float[][] cell;
    private final int width;

    RecurrentState(int rows, int[] units, boolean[] hasCell) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        this.rows = rows;
        this.hidden = new float[units.length][];
        this.cell = new float[units.length][];
        int w = 0;
        for (int k = 0; k < units.length; k++) {
            hidden[k] = new float[rows * units[k]];
            w += units[k];
            if (hasCell[k]) {
                cell[k] = new float[rows * units[k]];
                w += units[k];
            }
        }
        this.width = w;
    }

    private RecurrentState(RecurrentState o) {
        this.rows = o.rows;
        this.width = o.width;
        this.hidden = new float[o.hidden.length][];
        this.cell = new float[o.cell.length][];
        for (int k = 0; k < hidden.length; k++) {
            hidden[k] = o.hidden[k].clone();
            cell[k] = o.cell[k] == null ? null : o.cell[k].clone();
        }
    }

    /** Sequences this state holds. */
    public int rows() {
        return rows;
    }

    /** Floats of one row's state, over all recurrent layers. */
    public int width() {
        return width;
    }

    /** Zeroes every row (every sequence starts again). */
    public void reset() {
        for (int k = 0; k < hidden.length; k++) {
            Arrays.fill(hidden[k], 0f);
            if (cell[k] != null) {
                Arrays.fill(cell[k], 0f);
            }
        }
    }

    /** Zeroes row {@code row} (its sequence starts again, e.g. its env began a new episode). */
    public void reset(int row) {
        checkRow(row);
        for (int k = 0; k < hidden.length; k++) {
            int units = hidden[k].length / rows;
            Arrays.fill(hidden[k], row * units, (row + 1) * units, 0f);
            if (cell[k] != null) {
                Arrays.fill(cell[k], row * units, (row + 1) * units, 0f);
            }
        }
    }

    /** Copies row {@code row}'s state ({@link #width()} floats) into {@code dst} at {@code offset}. */
    public void copyRow(int row, float[] dst, int offset) {
        checkRow(row);
        int at = offset;
        for (int k = 0; k < hidden.length; k++) {
            int units = hidden[k].length / rows;
            System.arraycopy(hidden[k], row * units, dst, at, units);
            at += units;
            if (cell[k] != null) {
                System.arraycopy(cell[k], row * units, dst, at, units);
                at += units;
            }
        }
    }

    /** Sets row {@code row}'s state from {@link #width()} floats of {@code src} at {@code offset}. */
    public void setRow(int row, float[] src, int offset) {
        checkRow(row);
        int at = offset;
        for (int k = 0; k < hidden.length; k++) {
            int units = hidden[k].length / rows;
            System.arraycopy(src, at, hidden[k], row * units, units);
            at += units;
            if (cell[k] != null) {
                System.arraycopy(src, at, cell[k], row * units, units);
                at += units;
            }
        }
    }

    /** An independent copy. */
    public RecurrentState copy() {
        return new RecurrentState(this);
    }

    /** Recurrent layers this state is for. */
    public int layers() {
        return hidden.length;
    }

    // element access for the layers (their float64 test twins read and write through these too)
    float hidden(int slot, int i) {
        return hidden[slot][i];
    }

    float cell(int slot, int i) {
        return cell[slot][i];
    }

    void setHidden(int slot, int i, double v) {
        hidden[slot][i] = (float) v;
    }

    void setCell(int slot, int i, double v) {
        cell[slot][i] = (float) v;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("row must be in [0, " + rows + "), got " + row);
        }
    }

    /** Every recurrent layer's hidden (and cell) values, for a checkpoint. */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.tag(out, "RecurrentState");
        out.writeInt(rows);
        out.writeInt(hidden.length);
        for (int k = 0; k < hidden.length; k++) {
            dev.ludus.envs.state.StateIO.floats(out, hidden[k]);
            out.writeBoolean(cell[k] != null);
            if (cell[k] != null) {
                dev.ludus.envs.state.StateIO.floats(out, cell[k]);
            }
        }
    }

    /** Reads what {@link #writeState} wrote from a state of the same shape. */
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.expect(in, "RecurrentState");
        int r = in.readInt();
        int layers = in.readInt();
        if (r != rows || layers != hidden.length) {
            throw new java.io.IOException("recurrent state of " + r + " rows and " + layers + " layers, this one has "
                + rows + " and " + hidden.length);
        }
        for (int k = 0; k < hidden.length; k++) {
            dev.ludus.envs.state.StateIO.floats(in, hidden[k]);
            if (in.readBoolean() != (cell[k] != null)) {
                throw new java.io.IOException("recurrent state: layer " + k + " is another kind of cell");
            }
            if (cell[k] != null) {
                dev.ludus.envs.state.StateIO.floats(in, cell[k]);
            }
        }
    }
}
