package dev.ludus.agents.tabular;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Schedule;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Discrete;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Tabular TD control on a Discrete observation space: one Q-table, ε-greedy behaviour, and the update
 * {@code Q(s,a) += α (r + γ·V(s') − Q(s,a))} where {@code V(s')} is, by {@link Method}:
 * Q-learning {@code max_a Q(s',a)}; SARSA {@code Q(s',a')} for the action {@code a'} the behaviour
 * policy then takes; Expected SARSA {@code Σ_a π(a|s') Q(s',a)} under the ε-greedy policy.
 * {@code V(s') = 0} only on termination: a time-limit truncation still bootstraps.
 */
public final class TabularAgent implements Agent<Integer, Integer>, dev.ludus.envs.state.Checkpointable {

    public enum Method { Q_LEARNING, SARSA, EXPECTED_SARSA }

    private static final int FORMAT = 0x4C515431; // "LQT1"

    private final Method method;
    private final double lr;
    private final double gamma;
    private final int states;
    private final int actions;
    private final double[] q;
    private final Schedule epsilon;
    private final RandomGenerator rng;
    private long step;
    /** SARSA: the next action, chosen when the previous transition was learned. */
    private int pendingState = -1;
    private int pendingAction;

    /** The agent the registry builds: Discrete observations and actions. */
    public TabularAgent(Method method, AgentContext context) {
        this(method, context.params(), ((Discrete) context.observationSpace()).n(),
            ((Discrete) context.actionSpace()).n(), context.totalSteps(), context.random());
    }

    /** @param config values of {@link TabularConfig#PARAMS} */
    public TabularAgent(Method method, ParamValues config, int states, int actions, long totalSteps,
                        RandomGenerator rng) {
        if (states <= 0 || actions <= 0) {
            throw new IllegalArgumentException("tabular agent needs states and actions > 0, got " + states + " and "
                + actions);
        }
        this.method = method;
        this.lr = config.get(TabularConfig.LR);
        this.gamma = config.get(TabularConfig.GAMMA);
        this.states = states;
        this.actions = actions;
        this.rng = rng;
        q = new double[Math.multiplyExact(states, actions)];
        java.util.Arrays.fill(q, config.get(TabularConfig.INITIAL_Q));
        epsilon = Schedule.decay(config.get(TabularConfig.EPSILON_SCHEDULE), config.get(TabularConfig.EPSILON_START),
            config.get(TabularConfig.EPSILON_END), config.get(TabularConfig.EXPLORATION_FRACTION), totalSteps);
    }

    @Override
    public List<Integer> act(List<Integer> observations, boolean explore) {
        if (observations.size() == 1) {
            return List.of(act(observations.get(0), explore));
        }
        List<Integer> out = new ArrayList<>(observations.size());
        for (Integer observation : observations) {
            out.add(act(observation, explore));
        }
        return out;
    }

    /** The ε-greedy (explore) or greedy action in state {@code observation}. */
    public int act(int observation, boolean explore) {
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
    private int greedy(int s, RandomGenerator tieBreak) {
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
    public void observe(List<Transition<Integer, Integer>> transitions, Metrics metrics) {
        for (Transition<Integer, Integer> t : transitions) {
            double before = q(t.observation(), t.action());
            double tdError = observe(t.observation(), t.action(), t.reward(), t.nextObservation(), t.terminated(),
                t.truncated());
            metrics.updates(1);
            metrics.mean("train/loss", tdError * tdError);
            metrics.mean("train/q_mean", before);
        }
        metrics.last("train/epsilon", epsilon());
    }

    /** One TD update; returns the TD error. */
    public double observe(int s, int action, double reward, int next, boolean terminated, boolean truncated) {
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
        double tdError = reward + gamma * bootstrap - before;
        q[index] = before + lr * tdError;
        return tdError;
    }

    /** The current exploration rate. */
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

    /** The table, step count, SARSA's chosen next action and the random stream. */
    @Override
    public void writeState(java.io.DataOutputStream out) throws IOException {
        dev.ludus.envs.state.StateIO.tag(out, "tabular " + method + " " + states + "x" + actions);
        dev.ludus.envs.state.StateIO.doubles(out, q);
        out.writeLong(step);
        out.writeInt(pendingState);
        out.writeInt(pendingAction);
        dev.ludus.envs.state.StateIO.random(out, dev.ludus.envs.state.SplitMixRandom.checkpointable(rng, "this agent"));
    }

    @Override
    public void readState(java.io.DataInputStream in) throws IOException {
        dev.ludus.envs.state.StateIO.expect(in, "tabular " + method + " " + states + "x" + actions);
        dev.ludus.envs.state.StateIO.doubles(in, q);
        step = in.readLong();
        pendingState = in.readInt();
        pendingAction = in.readInt();
        dev.ludus.envs.state.StateIO.random(in, dev.ludus.envs.state.SplitMixRandom.checkpointable(rng, "this agent"));
    }
}
