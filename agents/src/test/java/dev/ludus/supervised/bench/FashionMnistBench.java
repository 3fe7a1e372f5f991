package dev.ludus.supervised.bench;

import dev.ludus.nn.Network;
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
 * What the Fashion-MNIST benchmarks (MLP, CNN, LSTM) share: the data, one measured training with its test
 * evaluation, the PyTorch peer run as a subprocess, and the CNN's and LSTM's whole per-seed comparison with
 * their peer. Each benchmark keeps its network, its defaults and its targets.
 */
final class FashionMnistBench {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private FashionMnistBench() {
    }

    /** The 60,000 training and 10,000 test images. */
    record Data(Dataset train, Dataset test) {

        /** From {@code -Dludus.fmnist}, else the folder the Debian package installs. */
        static Data load() throws IOException {
            Path dir = Path.of(System.getProperty("ludus.fmnist", FashionMnist.DEFAULT_DIR.toString()));
            return new Data(FashionMnist.trainingFile(dir), FashionMnist.testFile(dir));
        }
    }

    /** One training and the trained network's evaluation on the test images. */
    record Measured(TrainingResult result, Evaluation eval) {
    }

    /**
     * Trains {@code net} on all training images (no validation split, as the peers), printing each epoch with
     * {@code epochLine} (epoch, train loss, train accuracy, seconds, samples/s), then evaluates it on the test
     * images (not timed).
     */
    static Measured trainAndTest(Network net, TrainerConfig config, Data data, String epochLine) {
        TrainingResult result = new ClassifierTrainer(config).fit(net, data.train(), data.train().slice(0, 0),
            new TrainingListener() {
                @Override
                public void epochEnded(EpochStats s) {
                    System.out.printf(Locale.ROOT, epochLine, s.epoch(), s.trainLoss(), s.trainAccuracy(), s.seconds(),
                        s.samplesPerSecond());
                }
            });
        return new Measured(result, ClassifierTrainer.evaluate(net, data.test()));
    }

    /** Whether the peer script and Debian's python3 are there. */
    static boolean peerInstalled(Path peer) {
        return Files.isRegularFile(peer) && Files.isExecutable(PYTHON);
    }

    static String peerMissing(Path peer) {
        return "peer: not run (" + peer + " or " + PYTHON + " missing; apt-get install -y python3-torch libopenblas0-pthread)";
    }

    /** Runs the peer script with {@code args}; returns the last JSON line it printed, or an error object. */
    static String runPeer(Path peer, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), peer.toString()));
        for (Object arg : args) {
            command.add(arg.toString());
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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

    /** A numeric field of the peer's flat JSON line, or null. */
    static Double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*([-0-9.eE]+)").matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    /** Builds the benchmark's network for one seed. */
    @FunctionalInterface
    interface NetworkForSeed {
        Network build(long seed, int threads);
    }

    /**
     * The CNN's and LSTM's arguments {@code [epochs] [seeds] [peer-seeds] [threads]} (seeds as {@code 1-3} or
     * {@code 1,2,3}; peer-seeds 0 skips the peer; defaults {@code defaultEpochs}, 1, 1, 1).
     */
    record SeedRuns(int epochs, List<Long> seeds, List<Long> peerSeeds, int threads) {

        static SeedRuns parse(String[] args, int defaultEpochs) {
            int epochs = args.length > 0 ? Integer.parseInt(args[0]) : defaultEpochs;
            List<Long> seeds = parseSeeds(args.length > 1 ? args[1] : "1");
            List<Long> peerSeeds = args.length > 2 && args[2].equals("0") ? List.of() : parseSeeds(args.length > 2 ? args[2] : "1");
            int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
            return new SeedRuns(epochs, seeds, peerSeeds, threads);
        }
    }

    /**
     * The peer first (per peer seed, {@code peerEpochs} epochs), then Ludus per seed (Adam lr 1e-3, batch 128,
     * constant rate), printing the ratio of the median training samples/s as it goes, then the RESULT lines: every
     * seed's test accuracy against {@code accuracyTarget}, the ratio against {@code ratioTarget} (NaN: none).
     */
    static void compareSeeds(SeedRuns runs, int peerEpochs, Path peer, NetworkForSeed network, double accuracyTarget,
                             double ratioTarget) throws IOException, InterruptedException {
        Data data = Data.load();
        System.out.printf(Locale.ROOT, "data: %d train, %d test images; cpu: %s; java %s%n", data.train().rows(),
            data.test().rows(), cpuModel(), System.getProperty("java.version"));

        List<Double> peerSpeeds = new ArrayList<>();
        List<Double> peerAccuracies = new ArrayList<>();
        if (runs.peerSeeds().isEmpty()) {
            System.out.println("peer: skipped");
        } else if (peerInstalled(peer)) {
            for (long seed : runs.peerSeeds()) {
                String line = runPeer(peer, peerEpochs, runs.threads(), seed);
                System.out.println("peer seed " + seed + ": " + line);
                Double sps = field(line, "samples_per_s");
                if (sps != null) {
                    peerSpeeds.add(sps);
                    Double acc = field(line, "test_acc");
                    peerAccuracies.add(acc == null ? Double.NaN : acc);
                }
            }
        } else {
            System.out.println(peerMissing(peer));
        }

        List<Double> speeds = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        for (long seed : runs.seeds()) {
            Network net = network.build(seed, runs.threads());
            System.out.printf("ludus seed %d: %s, %d parameters, gemm %s x%d%n", seed, net.describe(), net.parameterCount(),
                net.gemm().name(), net.gemm().threads());
            TrainerConfig config = new TrainerConfig(runs.epochs(), 128, "adam", 1e-3, 0.0, 0, seed, "constant");
            Measured m = trainAndTest(net, config, data, "  epoch %d: train loss %.4f acc %.4f, %.1f s, %.0f samples/s%n");
            System.out.printf(Locale.ROOT, "ludus seed %d: %.0f samples/s, test accuracy %.4f, test loss %.4f%n", seed,
                m.result().samplesPerSecond(), m.eval().accuracy(), m.eval().loss());
            speeds.add(m.result().samplesPerSecond());
            accuracies.add(m.eval().accuracy());
            if (!peerSpeeds.isEmpty()) {
                System.out.printf(Locale.ROOT, "  so far: ludus median %.0f samples/s / peer median %.0f = %.2fx%n", median(speeds),
                    median(peerSpeeds), median(speeds) / median(peerSpeeds));
            }
        }

        System.out.println();
        double minAcc = accuracies.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "RESULT ludus %d thread(s), %d epochs: samples/s %s (median %.0f), test accuracy %s (min %.4f, target >= %s each: %s)%n",
            runs.threads(), runs.epochs(), list(speeds, "%.0f"), median(speeds), list(accuracies, "%.4f"), minAcc, accuracyTarget,
            minAcc >= accuracyTarget ? "met" : "NOT met");
        if (!peerSpeeds.isEmpty()) {
            double ratio = median(speeds) / median(peerSpeeds);
            System.out.printf(Locale.ROOT, "RESULT peer: samples/s %s (median %.0f), test accuracy %s%n", list(peerSpeeds, "%.0f"),
                median(peerSpeeds), list(peerAccuracies, "%.4f"));
            String target = Double.isNaN(ratioTarget) ? "" : " (target >= " + ratioTarget + ": " + (ratio >= ratioTarget ? "met" : "NOT met") + ")";
            System.out.printf(Locale.ROOT, "RESULT ratio ludus/peer samples/s = %.2fx%s%n", ratio, target);
        }
    }

    private static List<Long> parseSeeds(String spec) {
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
}
