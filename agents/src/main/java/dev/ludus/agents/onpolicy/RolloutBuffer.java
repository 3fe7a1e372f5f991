package dev.ludus.agents.onpolicy;

/**
 * One rollout of {@code nSteps} steps of {@code nEnvs} envs, stored step-major (row {@code t * nEnvs + e}), and the
 * GAE(λ) advantages and returns computed from it, as Stable-Baselines3's {@code RolloutBuffer} does.
 *
 * <p>{@code episodeStarts[t, e]} is 1 when the observation at {@code t} began a new episode (the previous step
 * ended one), which cuts the bootstrap from step {@code t - 1}. A time-limit truncation is not a cut: the
 * collector adds {@code γ V(final observation)} to the truncated step's reward before storing it.
 */
final class RolloutBuffer {
    final int nSteps;
    final int nEnvs;
    final int obsDim;
    /** floats per stored action: 1 (a Discrete index) or the Box's dimension */
    final int actionDim;
    final float[] observations;
    final float[] actions;
    final float[] rewards;
    final float[] episodeStarts;
    final float[] values;
    final float[] logProbs;
    final float[] advantages;
    final float[] returns;
    private int step;

    RolloutBuffer(int nSteps, int nEnvs, int obsDim, int actionDim) {
        this.nSteps = nSteps;
        this.nEnvs = nEnvs;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        int rows = nSteps * nEnvs;
        observations = new float[rows * obsDim];
        actions = new float[rows * actionDim];
        rewards = new float[rows];
        episodeStarts = new float[rows];
        values = new float[rows];
        logProbs = new float[rows];
        advantages = new float[rows];
        returns = new float[rows];
    }

    int size() {
        return nSteps * nEnvs;
    }

    boolean full() {
        return step == nSteps;
    }

    int stepsStored() {
        return step;
    }

    void reset() {
        step = 0;
    }

    /** Stores one step of every env: arrays hold {@code nEnvs} rows (observations {@code nEnvs x obsDim}). */
    void add(float[] obs, float[] action, float[] reward, float[] episodeStart, float[] value, float[] logProb) {
        if (step == nSteps) {
            throw new IllegalStateException("rollout buffer is full (" + nSteps + " steps)");
        }
        int row = step * nEnvs;
        System.arraycopy(obs, 0, observations, row * obsDim, nEnvs * obsDim);
        System.arraycopy(action, 0, actions, row * actionDim, nEnvs * actionDim);
        System.arraycopy(reward, 0, rewards, row, nEnvs);
        System.arraycopy(episodeStart, 0, episodeStarts, row, nEnvs);
        System.arraycopy(value, 0, values, row, nEnvs);
        System.arraycopy(logProb, 0, logProbs, row, nEnvs);
        step++;
    }

    /**
     * GAE(λ) (Schulman et al. 2016) backwards through the rollout:
     * {@code δ_t = r_t + γ V_{t+1} (1 − done_{t+1}) − V_t}, {@code A_t = δ_t + γ λ (1 − done_{t+1}) A_{t+1}},
     * returns {@code R_t = A_t + V_t} (the value targets, TD(λ) returns). {@code lastValues} are V of the observations
     * after the last step and {@code lastDones} whether the last step ended each env's episode.
     */
    void computeReturnsAndAdvantages(float[] lastValues, float[] lastDones, double gamma, double lambda) {
        if (step != nSteps) {
            throw new IllegalStateException("rollout holds " + step + " of " + nSteps + " steps");
        }
        for (int e = 0; e < nEnvs; e++) {
            double lastGae = 0;
            for (int t = nSteps - 1; t >= 0; t--) {
                int row = t * nEnvs + e;
                double nextNonTerminal;
                double nextValue;
                if (t == nSteps - 1) {
                    nextNonTerminal = 1.0 - lastDones[e];
                    nextValue = lastValues[e];
                } else {
                    nextNonTerminal = 1.0 - episodeStarts[row + nEnvs];
                    nextValue = values[row + nEnvs];
                }
                double delta = rewards[row] + gamma * nextValue * nextNonTerminal - values[row];
                lastGae = delta + gamma * lambda * nextNonTerminal * lastGae;
                advantages[row] = (float) lastGae;
                returns[row] = (float) (lastGae + values[row]);
            }
        }
    }

    /** Fraction of the returns' variance the stored values explain: {@code 1 − Var(R − V) / Var(R)} (NaN if Var(R) = 0). */
    double explainedVariance() {
        int n = size();
        double meanR = 0;
        double meanD = 0;
        for (int i = 0; i < n; i++) {
            meanR += returns[i];
            meanD += returns[i] - values[i];
        }
        meanR /= n;
        meanD /= n;
        double varR = 0;
        double varD = 0;
        for (int i = 0; i < n; i++) {
            double r = returns[i] - meanR;
            double d = returns[i] - values[i] - meanD;
            varR += r * r;
            varD += d * d;
        }
        return varR == 0 ? Double.NaN : 1 - varD / varR;
    }

    void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.tag(out, "rollout " + nSteps + "x" + nEnvs);
        for (float[] a : new float[][] {observations, actions, rewards, episodeStarts, values, logProbs, advantages, returns}) {
            dev.ludus.envs.state.StateIO.floats(out, a);
        }
        out.writeInt(step);
    }

    void readState(java.io.DataInputStream in) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.expect(in, "rollout " + nSteps + "x" + nEnvs);
        for (float[] a : new float[][] {observations, actions, rewards, episodeStarts, values, logProbs, advantages, returns}) {
            dev.ludus.envs.state.StateIO.floats(in, a);
        }
        step = in.readInt();
    }
}
