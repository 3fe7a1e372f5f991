package dev.ludus.supervised.bench;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.supervised.ClassifierTrainer;
import dev.ludus.supervised.Dataset;
import dev.ludus.supervised.EpochStats;
import dev.ludus.supervised.Evaluation;
import dev.ludus.supervised.FashionMnist;
import dev.ludus.supervised.TrainerConfig;
import dev.ludus.supervised.TrainingListener;
import dev.ludus.supervised.TrainingResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark {@code bench/run fmnist-lstm [epochs] [seeds] [peer-seeds] [threads] [peer-epochs]} (defaults: 10, 1, 1,
 * 1, epochs; seeds as {@code 1-3} or {@code 1,2,3}; peer-seeds 0 skips the peer; fewer peer epochs measure its speed
 * sooner on a busy machine, its accuracy then being that of fewer epochs). Fashion-MNIST read row by row (28 steps of 28
 * pixels), an LSTM of 128 units, its last step, then dense 10; Adam lr 1e-3, batch 128, softmax cross-entropy, on
 * all 60,000 training images, then accuracy on the 10,000 test images (not timed), per seed. The peer is the same
 * shape in PyTorch ({@code bench/torch_lstm_fmnist.py}, nn.LSTM), run first in the same command; the ratio of the
 * median training samples/s is printed.
 *
 * <p>Target (issue 11): test accuracy >= 0.87 within 10 epochs; speed measured beside the peer.
 */
public final class FashionMnistLstmBench {

    /** bench/run starts in the repository root */
    private static final Path PEER = Path.of("bench/torch_lstm_fmnist.py");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> seeds = seeds(args.length > 1 ? args[1] : "1");
        List<Long> peerSeeds = args.length > 2 && args[2].equals("0") ? List.of() : seeds(args.length > 2 ? args[2] : "1");
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int peerEpochs = args.length > 4 ? Integer.parseInt(args[4]) : epochs;
        Path dir = Path.of(System.getProperty("ludus.fmnist", FashionMnist.DEFAULT_DIR.toString()));

        Dataset train = FashionMnist.trainingFile(dir);
        Dataset test = FashionMnist.testFile(dir);
        System.out.printf(Locale.ROOT, "data: %d train, %d test images; cpu: %s; java %s%n", train.rows(), test.rows(), cpuModel(),
            System.getProperty("java.version"));

        List<Double> peerSpeeds = new ArrayList<>();
        List<Double> peerAccuracies = new ArrayList<>();
        if (peerSeeds.isEmpty()) {
            System.out.println("peer: skipped");
        } else if (Files.isRegularFile(PEER) && Files.isExecutable(PYTHON)) {
            for (long seed : peerSeeds) {
                String line = runPeer(peerEpochs, threads, seed);
                System.out.println("peer seed " + seed + ": " + line);
                Double sps = field(line, "samples_per_s");
                if (sps != null) {
                    peerSpeeds.add(sps);
                    Double acc = field(line, "test_acc");
                    peerAccuracies.add(acc == null ? Double.NaN : acc);
                }
            }
        } else {
            System.out.println("peer: not run (" + PEER + " or " + PYTHON + " missing; apt-get install -y python3-torch libopenblas0-pthread)");
        }

        List<Double> speeds = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        for (long seed : seeds) {
            Network net = Network.builder(Shape.of(1, 28, 28)).seed(seed).threads(threads).init(Init.TORCH)
                .sequenceRows().lstm(128).dense(10).build();
            System.out.printf("ludus seed %d: %s, %d parameters, gemm %s x%d%n", seed, net.describe(), net.parameterCount(),
                net.gemm().name(), net.gemm().threads());
            TrainerConfig config = new TrainerConfig(epochs, 128, "adam", 1e-3, 0.0, 0, seed, "constant");
            TrainingResult result = new ClassifierTrainer(config).fit(net, train, train.slice(0, 0), new TrainingListener() {
                @Override
                public void epochEnded(EpochStats s) {
                    System.out.printf(Locale.ROOT, "  epoch %d: train loss %.4f acc %.4f, %.1f s, %.0f samples/s%n",
                        s.epoch(), s.trainLoss(), s.trainAccuracy(), s.seconds(), s.samplesPerSecond());
                }
            });
            Evaluation eval = ClassifierTrainer.evaluate(net, test);
            System.out.printf(Locale.ROOT, "ludus seed %d: %.0f samples/s, test accuracy %.4f, test loss %.4f%n", seed,
                result.samplesPerSecond(), eval.accuracy(), eval.loss());
            speeds.add(result.samplesPerSecond());
            accuracies.add(eval.accuracy());
            if (!peerSpeeds.isEmpty()) {
                System.out.printf(Locale.ROOT, "  so far: ludus median %.0f samples/s / peer median %.0f = %.2fx%n", median(speeds),
                    median(peerSpeeds), median(speeds) / median(peerSpeeds));
            }
        }

        System.out.println();
        double minAcc = accuracies.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "RESULT ludus %d thread(s), %d epochs: samples/s %s (median %.0f), test accuracy %s (min %.4f, target >= 0.87 each: %s)%n",
            threads, epochs, list(speeds, "%.0f"), median(speeds), list(accuracies, "%.4f"), minAcc, minAcc >= 0.87 ? "met" : "NOT met");
        if (!peerSpeeds.isEmpty()) {
            double ratio = median(speeds) / median(peerSpeeds);
            System.out.printf(Locale.ROOT, "RESULT peer: samples/s %s (median %.0f), test accuracy %s%n", list(peerSpeeds, "%.0f"),
                median(peerSpeeds), list(peerAccuracies, "%.4f"));
            System.out.printf(Locale.ROOT, "RESULT ratio ludus/peer samples/s = %.2fx%n", ratio);
        }
    }

    private static List<Long> seeds(String spec) {
        List<Long> out = new ArrayList<>();
        if (spec.contains("-")) {
            String[] ends = spec.split("-");
            for (long s = Long.parseLong(ends[0]); s <= Long.parseLong(ends[1]); s++) {
                out.add(s);
            }
        } else {
            for (String s : spec.split(",")) {
                out.add(Long.parseLong(s.trim()));
            }
        }
        return out;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String list(List<Double> xs, String format) {
        List<String> parts = new ArrayList<>();
        for (double x : xs) {
            parts.add(String.format(Locale.ROOT, format, x));
        }
        return String.join(", ", parts);
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static String runPeer(int epochs, int threads, long seed) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), PEER.toString(), Integer.toString(epochs), Integer.toString(threads),
            Long.toString(seed)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("{")) {
                    last = line;
                }
            }
        }
        int code = p.waitFor();
        return code == 0 ? last : "{\"error\": \"peer exited with " + code + "\"}";
    }

    private static Double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*([-0-9.eE]+)").matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }
}
