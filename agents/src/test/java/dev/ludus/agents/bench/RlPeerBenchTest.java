package dev.ludus.agents.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RL benchmarks' shared loop, on each benchmark's agent and env shrunk to a few hundred steps, against a stand-in
 * peer script: every seed runs the peer with its seed and thread count and prints its ratio, and several seeds end
 * with the summary. (The real peers take minutes: `bench/run dqn-cartpole` and the others run them.)
 */
class RlPeerBenchTest {

    @TempDir
    Path dir;

    @Test
    void eachBenchmarkRunsItsPeerPerSeedAndPrintsTheRatio() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the peers run with /usr/bin/python3");
        Path peer = dir.resolve("peer.py");
        Files.writeString(peer, "import sys\nprint('training...')\n"
            + "print('{\"seed\": %s, \"threads\": %s, \"wall_s\": 2.0, \"eval_mean\": 12.5}' % (sys.argv[1], sys.argv[2]))\n");
        for (RlPeerBench.Comparison real : List.of(DqnCartPoleBench.COMPARISON, PpoCartPoleBench.COMPARISON,
            SacPendulumBench.COMPARISON)) {
            RlPeerBench.Comparison tiny = new RlPeerBench.Comparison(real.env(), real.agent(), real.peerScript(), "1",
                50, 256, real.targetRatio(), real.solvedScore());
            // two seeds (the summary) on the quick CartPole DQN, one on the others: a Pendulum evaluation is 4,000 steps
            int seeds = real == DqnCartPoleBench.COMPARISON ? 2 : 1;
            String out = captured(() -> RlPeerBench.run(tiny, peer, new String[] {seeds == 2 ? "3-4" : "3", "1", "1"}));
            for (int seed = 3; seed < 3 + seeds; seed++) {
                assertTrue(out.contains("{\"seed\": " + seed + ", \"threads\": 1, \"wall_s\": 2.0"), real.agent() + ": " + out);
            }
            Matcher ratios = Pattern.compile("ratio: ludus ([\\d.]+) s / pytorch 2\\.00 s = ([\\d.]+)x \\(target <= "
                + Pattern.quote(Double.toString(real.targetRatio())) + "x\\); final eval ludus \\S+ vs pytorch 12\\.5")
                .matcher(out);
            int found = 0;
            while (ratios.find()) {
                found++;
                assertEquals(Double.parseDouble(ratios.group(1)) / 2.0, Double.parseDouble(ratios.group(2)), 0.004, out); // both printed rounded
            }
            assertEquals(seeds, found, real.agent() + ": one ratio per seed\n" + out);
            assertEquals(seeds == 2, out.contains("ratio over 2 seeds: median"), out);
            assertEquals(seeds == 2, out.contains("pytorch final eval: mean 12.5, median 12.5, 0 of 2 seeds >= 475"), out);
        }
    }

    @Test
    void aMissingPeerIsSaidAndTheLudusSideStillRuns() throws Exception {
        RlPeerBench.Comparison tiny = new RlPeerBench.Comparison("CartPole-v1", "dqn", "none.py", "1", 100, 200, 0.25, 475);
        String out = captured(() -> RlPeerBench.run(tiny, dir.resolve("none.py"), new String[] {"1", "1", "1"}));
        assertTrue(out.contains("peer not installed (" + dir.resolve("none.py")), out);
        assertTrue(out.contains("{\"system\":\"ludus\",\"env\":\"CartPole-v1\",\"agent\":\"dqn\",\"seed\":1,\"steps\":200"), out);
    }

    private interface Bench {
        void run() throws Exception;
    }

    private static String captured(Bench bench) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            bench.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
