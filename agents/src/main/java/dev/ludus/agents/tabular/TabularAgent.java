package dev.ludus.agents.tabular;

import dev.ludus.agents.Agent;
import dev.ludus.agents.Schedule;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Tabular TD control on a Discrete observation space: one Q-table, ε-greedy behaviour, and the update
 * {@code Q(s,a) += α (r + γ·V(s') − Q(s,a))} where {@code V(s')} is, by {@link Method}:
 * Q-learning {@code max_a Q(s',a)}; SARSA {@code Q(s',a')} for the action {@code a'} the behaviour
 * policy then takes; Expected SARSA {@code Σ_a π(a|s') Q(s',a)} under the ε-greedy policy.
 * {@code V(s') = 0} only on termination: a time-limit truncation still bootstraps.
 */
public final class TabularAgent implements Agent<Integer> {

    public enum Method { Q_LEARNING, SARSA, EXPECTED_SARSA }

    private static final int FORMAT = 0x4C515431; // "LQT1"

    private final Method method;
    private final TabularConfig config;
    private final int states;
    private final int actions;
    private final double[] q;
    private final Schedule epsilon;
    private final SplittableRandom rng;
    private long step;
    /** SARSA: the next action, chosen when the previous transition was learned. */
    private int pendingState = -1;
    private int pendingAction;

    public TabularAgent(Method method, TabularConfig config, int states, int actions, long totalSteps,
                        SplittableRandom rng) {
        if (states <= 0 || actions <= 0) {
            throw new IllegalArgumentException("tabular agent needs states and actions > 0, got " + states + " and "
                + actions);
        }
        this.method = method;
        this.config = config;
        this.states = states;
        this.actions = actions;
        this.rng = rng;
        q = new double[Math.multiplyExact(states, actions)];
        java.util.Arrays.fill(q, config.initialQ());
        epsilon = Schedule.decay(config.epsilonSchedule(), config.epsilonStart(), config.epsilonEnd(),
            config.explorationFraction(), totalSteps);
    }

    @Override
    public int act(Integer observation, boolean explore) {
        int s = observation;
        if (!explore) {
            return greedy(s, null);
        }
        if (method == Method.SARSA && pendingState == s) {
            pendingState = -1;
            return pendingAction;
        }
        return behaviour(s);
    }

    private int behaviour(int s) {
        return rng.nextDouble() < epsilon() ? rng.nextInt(actions) : greedy(s, rng);
    }

    /** argmax over actions; ties broken at random when {@code rng} is given, else the lowest index. */
    private int greedy(int s, SplittableRandom tieBreak) {
        int base = s * actions;
        int best = 0;
        double bestValue = q[base];
        int ties = 1;
        for (int a = 1; a < actions; a++) {
            double v = q[base + a];
            if (v > bestValue) {
                bestValue = v;
                best = a;
                ties = 1;
            } else if (v == bestValue && tieBreak != null && tieBreak.nextInt(++ties) == 0) {
                best = a;
            }
        }
        return best;
    }

    private double max(int s) {
        int base = s * actions;
        double m = q[base];
        for (int a = 1; a < actions; a++) {
            m = Math.max(m, q[base + a]);
        }
        return m;
    }

    @Override
    public Update observe(Integer observation, int action, double reward, Integer nextObservation,
                          boolean terminated, boolean truncated) {
        int s = observation;
        int next = nextObservation;
        double eps = epsilon();
        step++;
        double bootstrap = 0;
        if (!terminated) {
            bootstrap = switch (method) {
                case Q_LEARNING -> max(next);
                case SARSA -> {
                    int nextAction = behaviour(next);
                    if (!truncated) {
                        pendingState = next;
                        pendingAction = nextAction;
                    }
                    yield q[next * actions + nextAction];
                }
                case EXPECTED_SARSA -> {
                    double sum = 0;
                    for (int a = 0; a < actions; a++) {
                        sum += q[next * actions + a];
                    }
                    yield eps * sum / actions + (1 - eps) * max(next);
                }
            };
        }
        if (terminated || truncated) {
            pendingState = -1;
        }
        int index = s * actions + action;
        double before = q[index];
        double tdError = reward + config.gamma() * bootstrap - before;
        q[index] = before + config.lr() * tdError;
        return new Update(1, tdError * tdError, before);
    }

    @Override
    public double epsilon() {
        return epsilon.valueAt(step);
    }

    /** Q(s, a), for tests and inspection. */
    public double q(int state, int action) {
        return q[state * actions + action];
    }

    public Method method() {
        return method;
    }

    @Override
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(FORMAT);
        data.writeInt(states);
        data.writeInt(actions);
        for (double v : q) {
            data.writeDouble(v);
        }
        data.flush();
    }

    @Override
    public void load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus Q-table (format tag " + Integer.toHexString(format) + ")");
        }
        int s = data.readInt();
        int a = data.readInt();
        if (s != states || a != actions) {
            throw new IOException("Q-table is " + s + "x" + a + " but this agent is " + states + "x" + actions);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = data.readDouble();
        }
    }
}
