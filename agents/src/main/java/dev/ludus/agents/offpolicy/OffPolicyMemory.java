package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Normalization;
import dev.ludus.agents.Transition;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The experience side SAC and TD3 share, held by each as a part (composition, not a base class): the env-step
 * counter, the random stream, the replay buffer with its batch, the train schedule and the normalisation
 * statistics. It stores each transition with its action mapped back to [-1, 1], samples normalised batches, and
 * writes and reads its share of the agent's checkpoint around the learner's own state, in the one order both
 * agents' checkpoints hold: tag, env steps, the learner's counters, the random stream, the learner's networks
 * and optimisers, the replay buffer, the schedule, the normalisation.
 */
final class OffPolicyMemory {

    /** The learner's share of a checkpoint, written at its place between the memory's. */
    @FunctionalInterface
    interface StateWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** The learner's share of a checkpoint, read back at the place its {@link StateWriter} wrote it. */
    @FunctionalInterface
    interface StateReader {
        void read(DataInputStream in) throws IOException;
    }

    /** An agent's store of one transition: answers the gradient steps its schedule asks for now. */
    @FunctionalInterface
    interface TransitionStore {
        int store(double[] observation, double[] action, double reward, double[] nextObservation, boolean terminated,
                  boolean truncated);
    }

    /**
     * {@code Agent.observe} for an agent that learns from one transition at a time: each of the envs' transitions is
     * stored in turn, followed by the gradient steps it asks for.
     */
    static void storeEach(List<Transition<double[], double[]>> transitions, TransitionStore agent, Runnable gradientStep) {
        for (Transition<double[], double[]> t : transitions) {
            int steps = agent.store(t.observation(), t.action(), t.reward(), t.nextObservation(), t.terminated(),
                t.truncated());
            for (int k = 0; k < steps; k++) {
                gradientStep.run();
            }
        }
    }

    private final String tag;
    private final RandomGenerator rng;
    private final ActionScale scale;
    private final BoxReplayBuffer replay;
    private final BoxReplayBuffer.Batch batch;
    private final TrainSchedule schedule;
    private final Normalization normalization;
    private final double[] stepReward = new double[1];
    private final boolean[] stepEnded = new boolean[1];
    private final float[] storedAction;
    private long step;

    /**
     * @param tag        names the agent's checkpoint ({@code sac}, {@code td3}, {@code ddpg})
     * @param bufferSize the {@code buffer_size} param; a buffer larger than the whole run never fills, so only
     *                   what {@code totalSteps} can use (at least one batch) is allocated
     */
    OffPolicyMemory(String tag, int obsDim, ActionScale scale, long bufferSize, long totalSteps, int batchSize,
                    TrainSchedule schedule, Normalization normalization, RandomGenerator rng) {
        this.tag = tag;
        this.rng = rng;
        this.scale = scale;
        this.schedule = schedule;
        this.normalization = normalization;
        int actionDim = scale.size();
        int capacity = (int) Math.max(batchSize, Math.min(bufferSize, Math.max(1, totalSteps)));
        replay = new BoxReplayBuffer(capacity, obsDim, actionDim);
        batch = new BoxReplayBuffer.Batch(batchSize, obsDim, actionDim);
        storedAction = new float[actionDim];
    }

    /** Env steps stored so far. */
    long steps() {
        return step;
    }

    /**
     * The start of acting: exploring, the observation feeds the normalisation statistics, and until
     * {@code learning_starts} env steps were stored the action is uniformly random in [-1, 1] (SB3's warm-up),
     * written to {@code unitAction}: then this answers true and the actor is not asked.
     */
    boolean actsAtRandom(double[] observation, boolean explore, double[] unitAction) {
        if (explore) {
            normalization.learnObservation(observation);
        }
        if (!explore || step >= schedule.learningStarts()) {
            return false;
        }
        for (int j = 0; j < unitAction.length; j++) {
            unitAction[j] = rng.nextDouble() * 2 - 1;
        }
        return true;
    }

    /** {@code observation} as the actor's input row, normalised as the agent sees it: written to {@code row}, returned. */
    float[] actorInput(double[] observation, float[] row) {
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) observation[j];
        }
        normalization.observations(row, 1, false);
        return row;
    }

    /** The batch {@link #sample} fills (one, allocated once). */
    BoxReplayBuffer.Batch batch() {
        return batch;
    }

    /**
     * Stores one transition ({@code action} as the env received it, clipped to the box) and feeds the reward to
     * the normalisation; returns the number of gradient steps the schedule asks for now.
     */
    int store(double[] observation, double[] action, double reward, double[] nextObservation,
              boolean terminated, boolean truncated) {
        step++;
        double[] unit = scale.fromEnv(action);
        for (int j = 0; j < storedAction.length; j++) {
            storedAction[j] = (float) Math.max(-1, Math.min(1, unit[j]));
        }
        stepReward[0] = reward;
        stepEnded[0] = terminated || truncated;
        normalization.learnRewards(stepReward, stepEnded);
        replay.add(observation, storedAction, reward, nextObservation, terminated);
        return schedule.afterStep(step, terminated || truncated);
    }

    /** Fills {@link #batch} with uniformly drawn transitions, normalised as the agent sees them. */
    BoxReplayBuffer.Batch sample() {
        replay.sample(batch, rng);
        batch.normalize(normalization);
        return batch;
    }

    /** Writes the agent's checkpoint: the memory's parts with the learner's {@code counters} and {@code networks}. */
    void writeState(DataOutputStream out, StateWriter counters, StateWriter networks) throws IOException {
        StateIO.tag(out, tag);
        out.writeLong(step);
        counters.write(out);
        StateIO.random(out, SplitMixRandom.checkpointable(rng, "this agent"));
        networks.write(out);
        replay.writeState(out);
        schedule.writeState(out);
        normalization.writeState(out);
    }

    /** Reads what {@link #writeState} wrote, in the same order. */
    void readState(DataInputStream in, StateReader counters, StateReader networks) throws IOException {
        StateIO.expect(in, tag);
        step = in.readLong();
        counters.read(in);
        StateIO.random(in, SplitMixRandom.checkpointable(rng, "this agent"));
        networks.read(in);
        replay.readState(in);
        schedule.readState(in);
        normalization.readState(in);
    }
}
