package dev.ludus.agents;

/**
 * One env's step as the agent sees it.
 *
 * @param observation     what the agent acted on
 * @param action          what it did
 * @param reward          the reward of the step
 * @param nextObservation the observation the step produced (the final one when the episode ended)
 * @param terminated      the next state is terminal: no bootstrap
 * @param truncated       a time limit cut the episode: bootstrap from {@code nextObservation}
 */
public record Transition<O, A>(O observation, A action, double reward, O nextObservation, boolean terminated,
                               boolean truncated) {

    /** The episode ended here (terminated or truncated); the env was reset for the next step. */
    public boolean done() {
        return terminated || truncated;
    }
}
