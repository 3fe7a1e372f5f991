package dev.ludus.agents.offpolicy;

/**
 * When an off-policy agent trains, as SB3's {@code train_freq} / {@code gradient_steps}: a rollout ends every
 * {@code trainFreq} env steps (unit {@code step}) or episodes (unit {@code episode}); then, once more than
 * {@code learningStarts} env steps were taken, {@code gradientSteps} gradient steps run, or with −1 as many as
 * the rollout had env steps.
 */
public final class TrainSchedule {
    /** What train_freq counts. */
    public enum Unit { STEP, EPISODE }

    private final long learningStarts;
    private final int trainFreq;
    private final boolean perEpisode;
    private final int gradientSteps;
    private int rolloutSteps;
    private int rolloutEpisodes;

    /** Arguments as validated by the agents' param declarations. */
    TrainSchedule(long learningStarts, int trainFreq, Unit unit, int gradientSteps) {
        this.learningStarts = learningStarts;
        this.trainFreq = trainFreq;
        this.perEpisode = unit == Unit.EPISODE;
        this.gradientSteps = gradientSteps;
    }

    /** Env steps before the first gradient step ({@code learning_starts}). */
    long learningStarts() {
        return learningStarts;
    }

    /** Called after env step number {@code step} (1-based); returns the gradient steps to run now. */
    int afterStep(long step, boolean episodeEnded) {
        rolloutSteps++;
        if (episodeEnded) {
            rolloutEpisodes++;
        }
        if ((perEpisode ? rolloutEpisodes : rolloutSteps) < trainFreq) {
            return 0;
        }
        int collected = rolloutSteps;
        rolloutSteps = 0;
        rolloutEpisodes = 0;
        if (step <= learningStarts) {
            return 0;
        }
        return gradientSteps >= 0 ? gradientSteps : collected;
    }

    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(rolloutSteps);
        out.writeInt(rolloutEpisodes);
    }

    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        rolloutSteps = in.readInt();
        rolloutEpisodes = in.readInt();
    }
}
