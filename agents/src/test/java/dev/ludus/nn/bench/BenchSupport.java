package dev.ludus.nn.bench;

import dev.ludus.agents.bench.SharedFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the network-core benchmarks: machine description and the optional PyTorch peer. */
final class BenchSupport {
    private BenchSupport() {
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    static String cpuFamily() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu family")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static void header(String what) {
        System.out.printf("# %s%n# cpu: %s, %d cores; java %s (%s); vector API: %s; load: %s%n", what, cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), dev.ludus.nn.kernel.Gemm.vectorAvailable(), loadAverage());
    }

    /** Runs a Python snippet with Debian's python3 when torch imports there; null when the peer is absent. */
    static String runTorch(String script, int timeoutSeconds, String... args) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return null;
        }
        try {
            Path file = Files.createTempFile("ludus-peer", ".py");
            Files.writeString(file, script);
            List<String> cmd = new ArrayList<>(List.of(python.toString(), file.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Files.deleteIfExists(file);
            if (p.exitValue() != 0) {
                System.out.println("# peer unavailable: " + out.lines().reduce((a, b) -> b).orElse(""));
                return null;
            }
            return out.lines().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Extracts a numeric field from a one-line JSON object (the peers print flat JSON). */
    static double jsonNumber(String json, String key) {
        int i = json.indexOf("\"" + key + "\"");
        if (i < 0) {
            return Double.NaN;
        }
        int c = json.indexOf(':', i) + 1;
        int e = c;
        while (e < json.length() && "0123456789.eE+-".indexOf(json.charAt(e)) >= 0 || e < json.length() && json.charAt(e) == ' ') {
            e++;
        }
        return Double.parseDouble(json.substring(c, e).trim());
    }

    /**
     * CPU time to divide by: the calling thread's alone when the work runs on it only (precise, and not
     * polluted by idle pools or the JIT), else the whole process's.
     */
    static long cpuNanos(int threads) {
        if (threads == 1) {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
        return processCpuNanos();
    }

    /** CPU time of the whole process (all threads, JIT and GC included), in nanoseconds; -1 if unknown. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Runs a peer script from the shared folder's peers/ ({@link SharedFolder}) when it and torch are present. */
    static String runPeerScript(String script, int timeoutSeconds, String... args) {
        Path file = SharedFolder.file("peers/" + script);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return runTorch(Files.readString(file), timeoutSeconds, args);
        } catch (IOException e) {
            return null;
        }
    }
}
