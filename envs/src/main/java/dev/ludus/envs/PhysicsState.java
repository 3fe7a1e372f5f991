package dev.ludus.envs;

/**
 * Physics envs (CartPole, MountainCar, Acrobot, Pendulum) expose their internal float64 state like
 * Gymnasium's {@code env.unwrapped.state}. Reach it with {@code (PhysicsState) env.unwrapped()}.
 * Setting the state does not reset the episode's step count (the time limit keeps counting).
 */
public interface PhysicsState {
    /** A copy of the internal state. */
    double[] state();

    /** Replaces the internal state; throws {@link IllegalArgumentException} on a wrong length. */
    void setState(double[] state);
}
