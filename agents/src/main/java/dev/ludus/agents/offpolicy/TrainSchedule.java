package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Params;
import java.util.List;

/**
 * When an off-policy agent trains, as SB3's {@code train_freq} / {@code gradient_steps}: a rollout ends every
 * {@code trainFreq} env steps (unit {@code step}) or episodes (unit {@code episode}); then, once more than
 * {@code learningStarts} env steps were taken, {@code gradientSteps} gradient steps run, or with −1 as many as
 * the rollout had env steps.
 */
final class TrainSchedule {
    static final List<String> UNITS = List.of("step", "episode");

    private final long learningStarts;
    private final int trainFreq;
    private final boolean perEpisode;
    private final int gradientSteps;
    private int rolloutSteps;
    private int rolloutEpisodes;

    TrainSchedule(long learningStarts, int trainFreq, String unit, int gradientSteps) {
        check(trainFreq, unit, gradientSteps);
        this.learningStarts = learningStarts;
        this.trainFreq = trainFreq;
        this.perEpisode = unit.equals("episode");
        this.gradientSteps = gradientSteps;
    }

    static void check(int trainFreq, String unit, int gradientSteps) {
        Params.atLeast("train_freq", trainFreq, 1);
        Params.oneOf("train_freq_unit", unit, UNITS);
        if (gradientSteps < -1) {
            throw new IllegalArgumentException("gradient_steps: must be >= 1, or -1 (as many as env steps collected), got "
                + gradientSteps);
        }
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
}
