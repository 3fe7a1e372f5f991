package example.reinforce;

import dev.ludus.agents.*;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.nn.Activation;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * REINFORCE (Williams 1992), written against Ludus's public API only. The loss -Σ G_t log π(a_t|s_t) is the
 * softmax cross-entropy of the taken action weighted by the return G_t, normalised over the batch.
 */
public final class ReinforceProvider implements AgentProvider {

    static final Param<Double> LR = Param.real("lr", 0.01, "Adam learning rate of the policy").greaterThan(0);
    static final Param<Double> GAMMA = Param.real("gamma", 0.99, "discount factor of the returns").greaterThan(0)
        .atMost(1);
    static final Param<int[]> HIDDEN = Param.intList("hidden", new int[] {32}, "hidden layer widths (tanh)").atLeast(1);
    static final Param<Integer> EPISODES_PER_UPDATE = Param.integer("episodes_per_update", 4,
        "complete episodes per policy-gradient step").atLeast(1);
    static final ParamSet PARAMS = ParamSet.of(LR, GAMMA, HIDDEN, EPISODES_PER_UPDATE);

    @Override
    public List<AgentSpec> specs() {
        return List.of(new AgentSpec("reinforce", "REINFORCE: Monte-Carlo policy gradient with a softmax policy",
            Set.of(SpaceKind.BOX), Set.of(SpaceKind.DISCRETE), PARAMS, Reinforce::new));
    }

    static final class Reinforce implements Agent<double[], Integer> {
        private final AgentContext context;
        private final int obsDim;
        private final int actions;
        private final Network policy;
        private final Optimizer optimizer;
        private final List<float[]> batchObs = new ArrayList<>();
        private final List<Integer> batchActions = new ArrayList<>();
        private final List<Double> batchReturns = new ArrayList<>();
        private final List<List<Transition<double[], Integer>>> running = new ArrayList<>();
        private int episodesInBatch;

        Reinforce(AgentContext context) {
            this.context = context;
            obsDim = ((Box) context.observationSpace()).size();
            actions = ((Discrete) context.actionSpace()).n();
            Network.Builder builder = Network.builder(obsDim).seed(context.rng().nextLong());
            for (int width : context.get(HIDDEN)) {
                builder.dense(width, Activation.TANH);
            }
            policy = builder.dense(actions, Activation.IDENTITY).threads(1).build();
            optimizer = Optimizer.adam(context.get(LR));
            for (int i = 0; i < context.numEnvs(); i++) {
                running.add(new ArrayList<>());
            }
        }

        @Override
        public List<Integer> act(List<double[]> observations, boolean explore) {
            List<Integer> out = new ArrayList<>();
            for (double[] observation : observations) {
                float[] logits = policy.predict(toFloat(observation), 1);
                int action = 0;
                for (int a = 1; a < actions; a++) {
                    action = logits[a] > logits[action] ? a : action; // greedy
                }
                if (explore) { // sample a ~ π(·|s) by walking the cumulative softmax
                    double[] p = new double[actions];
                    double sum = 0;
                    for (int a = 0; a < actions; a++) {
                        sum += p[a] = Math.exp(logits[a] - logits[action]);
                    }
                    double u = context.rng().nextDouble() * sum;
                    for (action = 0; action < actions - 1 && (u -= p[action]) > 0; ) {
                        action++;
                    }
                }
                out.add(action);
            }
            return out;
        }

        @Override
        public void observe(List<Transition<double[], Integer>> transitions, Metrics metrics) {
            for (int i = 0; i < transitions.size(); i++) {
                List<Transition<double[], Integer>> episode = running.get(i);
                episode.add(transitions.get(i));
                if (transitions.get(i).done()) {
                    double g = 0;
                    for (int t = episode.size() - 1; t >= 0; t--) { // returns G_t, backwards
                        g = episode.get(t).reward() + context.get(GAMMA) * g;
                        batchObs.add(toFloat(episode.get(t).observation()));
                        batchActions.add(episode.get(t).action());
                        batchReturns.add(g);
                    }
                    episode.clear();
                    if (++episodesInBatch == context.get(EPISODES_PER_UPDATE)) {
                        learn(metrics);
                    }
                }
            }
        }

        private void learn(Metrics metrics) {
            int rows = batchObs.size();
            double mean = batchReturns.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double var = batchReturns.stream().mapToDouble(r -> (r - mean) * (r - mean)).average().orElse(0);
            float[] x = new float[rows * obsDim];
            int[] labels = new int[rows];
            float[] weights = new float[rows];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(batchObs.get(r), 0, x, r * obsDim, obsDim);
                labels[r] = batchActions.get(r);
                weights[r] = (float) ((batchReturns.get(r) - mean) / (Math.sqrt(var) + 1e-8));
            }
            float loss = policy.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, Loss.oneHot(labels, actions), null,
                weights, optimizer);
            metrics.updates(1);
            metrics.mean("train/policy_loss", loss);
            batchObs.clear();
            batchActions.clear();
            batchReturns.clear();
            episodesInBatch = 0;
        }

        private static float[] toFloat(double[] values) {
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }

        @Override
        public void save(OutputStream out) throws IOException {
            policy.save(out);
        }

        @Override
        public void load(InputStream in) throws IOException {
            policy.copyWeightsFrom(Network.load(in));
        }
    }
}
