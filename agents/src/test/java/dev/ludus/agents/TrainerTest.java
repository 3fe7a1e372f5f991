package dev.ludus.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared loop with several envs: lock-step, final observations, metrics, divergence, same seed. */
class TrainerTest {

    private static final Param<Integer> N_ENVS = Param.integer("n_envs", 3, "envs stepped in lock-step").atLeast(1);
    private static final Param<Integer> NAN_AT = Param.integer("nan_at", 0, "report a NaN loss at this observe call")
        .atLeast(0);

    /** Random actions; records what the Trainer hands it. */
    static final class Probe implements Agent<double[], Integer> {
        final AgentContext context;
        final List<Integer> actSizes = new ArrayList<>();
        final List<double[]> finalObservations = new ArrayList<>();
        final List<double[]> firstObservationsAfterEnd = new ArrayList<>();
        final List<Double> rewards = new ArrayList<>();
        private boolean[] justEnded;
        private int observeCalls;

        Probe(AgentContext context) {
            this.context = context;
        }

        @Override
        public List<Integer> act(List<double[]> observations, boolean explore) {
            List<Integer> actions = new ArrayList<>();
            if (explore) {
                actSizes.add(observations.size());
                for (int i = 0; i < observations.size(); i++) {
                    if (justEnded != null && justEnded[i]) {
                        firstObservationsAfterEnd.add(observations.get(i));
                    }
                }
            }
            for (int i = 0; i < observations.size(); i++) {
                actions.add(context.rng().nextInt(2));
            }
            return actions;
        }

        @Override
        public void observe(List<Transition<double[], Integer>> transitions, Metrics metrics) {
            observeCalls++;
            justEnded = new boolean[transitions.size()];
            for (int i = 0; i < transitions.size(); i++) {
                Transition<double[], Integer> t = transitions.get(i);
                rewards.add(t.reward());
                if (t.terminated()) {
                    finalObservations.add(t.nextObservation());
                }
                justEnded[i] = t.done();
            }
            metrics.updates(1);
            metrics.mean("train/loss", observeCalls == context.get(NAN_AT) ? Double.NaN : observeCalls);
            metrics.last("train/gauge", observeCalls);
        }

        @Override
        public void save(OutputStream out) {
        }

        @Override
        public void load(InputStream in) {
        }
    }

    private static final List<Probe> MADE = new ArrayList<>();
    private static final AgentSpec PROBE = new AgentSpec("probe", "records the Trainer's calls", Set.of(SpaceKind.BOX),
        Set.of(SpaceKind.DISCRETE), ParamSet.of(N_ENVS, NAN_AT), context -> {
            Probe p = new Probe(context);
            MADE.add(p);
            return p;
        });

    private record Run(RunOutcome outcome, Probe probe, List<String> keys, List<Long> steps, List<Double> values) {
    }

    private static Run run(Map<String, Object> params, long steps) {
        List<String> keys = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        RunListener listener = (key, step, value) -> {
            keys.add(key);
            at.add(step);
            values.add(value);
        };
        RunOutcome outcome = Trainer.train(PROBE, PROBE.resolve(params), "CartPole-v1",
            new Trainer.Settings(steps, 300, 2, 9, 150, 10_000), listener);
        return new Run(outcome, MADE.get(MADE.size() - 1), keys, at, values);
    }

    @Test
    void nEnvsStepInLockStepAndEndedEpisodesKeepTheirFinalObservation() {
        Run run = run(Map.of(), 900);
        assertEquals(RunOutcome.Status.FINISHED, run.outcome().status());
        Probe probe = run.probe();
        assertEquals(3, probe.context.numEnvs());
        assertEquals(900, probe.context.totalSteps());
        assertEquals(300, probe.actSizes.size(), "900 env steps over 3 envs");
        assertTrue(probe.actSizes.stream().allMatch(size -> size == 3));
        assertEquals(900.0, run.outcome().summary().get("train/steps"));
        assertTrue(probe.finalObservations.size() >= 10, "random CartPole episodes end often");
        for (double[] last : probe.finalObservations) {
            // a terminated CartPole state is out of bounds; the reset one that follows is within ±0.05
            assertTrue(Math.abs(last[0]) > 2.4 || Math.abs(last[2]) > 0.2094, java.util.Arrays.toString(last));
        }
        for (double[] first : probe.firstObservationsAfterEnd) {
            for (double v : first) {
                assertTrue(Math.abs(v) <= 0.05, "the next act sees the reset observation");
            }
        }
        // episode rewards were all reported: returns sum to the rewards of ended episodes
        double returns = 0;
        for (int i = 0; i < run.keys().size(); i++) {
            if (run.keys().get(i).equals("episode/return")) {
                returns += run.values().get(i);
                assertEquals(0, run.steps().get(i) % 3, "steps are counted over all envs");
            }
        }
        assertTrue(returns > 0 && returns <= probe.rewards.size());
        // metrics: window means of train/loss, the gauge's latest value, at every multiple of log_every
        int report = run.keys().indexOf("train/gauge");
        assertEquals(150L, run.steps().get(report));
        assertEquals(50.0, run.values().get(report), "observe call 50 at step 150");
        int loss = run.keys().indexOf("train/loss");
        assertEquals((1 + 50) / 2.0, run.values().get(loss), 1e-12, "mean over the window");
        assertEquals(3, run.keys().stream().filter("eval/return_mean"::equals).count(), "at 300, 600, 900");
    }

    @Test
    void aNonFiniteReportedMeanEndsTheRunDivergedNamingTheKey() {
        Run run = run(Map.of("nan_at", 40), 900);
        assertEquals(RunOutcome.Status.DIVERGED, run.outcome().status());
        assertEquals("diverged at step 120: train/loss is NaN", run.outcome().message());
        assertEquals(120.0, run.outcome().summary().get("train/steps"));
    }

    @Test
    void sameSeedSameEpisodesWithOneOrSeveralEnvs() {
        for (int n : new int[] {1, 4}) {
            Run a = run(Map.of("n_envs", n), 600);
            Run b = run(Map.of("n_envs", n), 600);
            assertEquals(filtered(a), filtered(b), "n_envs " + n);
            assertEquals(a.keys(), b.keys());
        }
    }

    private static List<Double> filtered(Run run) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < run.keys().size(); i++) {
            if (!run.keys().get(i).startsWith("perf/")) {
                out.add(run.values().get(i));
            }
        }
        return out;
    }
}
