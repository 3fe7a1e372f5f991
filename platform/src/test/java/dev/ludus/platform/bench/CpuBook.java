package dev.ludus.platform.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU seconds this JVM has spent, by thread group (runners, store, event loops, each kind of Hazelcast thread,
 * ...); the JIT compiler and GC threads, hidden from {@link ThreadMXBean}, from {@code /proc/self/task} (Linux);
 * and what no live thread accounts for (threads that have ended). Differences of two readings attribute a
 * timed section.
 */
final class CpuBook {

    static final String OTHER = "other (ended threads, JVM)";

    private CpuBook() {
    }

    static Map<String, Double> threads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Double> groups = new HashMap<>();
        double javaThreads = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long nanos = mx.getThreadCpuTime(t.getThreadId());
            if (nanos > 0) {
                groups.merge(group(t.getThreadName()), nanos / 1e9, Double::sum);
                javaThreads += nanos / 1e9;
            }
        }
        double vmThreads = 0;
        for (Map.Entry<String, Double> e : vmThreads().entrySet()) {
            groups.merge(e.getKey(), e.getValue(), Double::sum);
            vmThreads += e.getValue();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        groups.put(OTHER, Math.max(0, os.getProcessCpuTime() / 1e9 - javaThreads - vmThreads));
        return groups;
    }

    /** CPU seconds of the JVM's own threads (JIT compilers, GC, the VM thread) from /proc; empty elsewhere. */
    static Map<String, Double> vmThreads() {
        Map<String, Double> out = new HashMap<>();
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return out;
        }
        try (var dirs = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : dirs.toList()) {
                try {
                    String comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                    String kind = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "JIT compiler"
                            : comm.startsWith("GC Thread") || comm.startsWith("ParGC") || comm.startsWith("G1 ") ? "GC"
                            : comm.startsWith("VM Thread") ? "VM thread" : null;
                    if (kind == null) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    out.merge(kind, ticks / 100.0, Double::sum); // USER_HZ is 100 on Linux
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (java.io.IOException e) {
            return out;
        }
        return out;
    }

    /** A thread's group: its name without numbers, ids and Hazelcast's random instance name. */
    static String group(String name) {
        if (name.startsWith("ludus-runner") || name.startsWith("ludus-worker-runner")) {
            return "runners";
        }
        if (name.startsWith("hz.")) {
            int dot = name.indexOf('.', 3);
            return "hz " + (dot < 0 ? name : name.substring(dot + 1)).replaceAll("[-.]?\\d+", "");
        }
        return name.replaceAll("[-.]?\\d+", "");
    }

    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> d = new HashMap<>();
        after.forEach((k, v) -> d.put(k, Math.max(0, v - before.getOrDefault(k, 0.0))));
        return d;
    }

    static double total(Map<String, Map<String, Double>> byJvm) {
        return byJvm.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).sum();
    }

    /** "2.31 s: runners 1.90, store 0.20, hazelcast 0.05 (cached 0.03, ...), ..." */
    static String describe(Map<String, Double> groups) {
        double sum = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        double hz = groups.entrySet().stream().filter(e -> e.getKey().startsWith("hz ")).mapToDouble(Map.Entry::getValue).sum();
        String hzParts = groups.entrySet().stream().filter(e -> e.getKey().startsWith("hz ") && e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                .map(e -> String.format("%s %.2f", e.getKey().substring(3), e.getValue())).collect(Collectors.joining(", "));
        Map<String, Double> shown = new HashMap<>();
        groups.forEach((k, v) -> {
            if (!k.startsWith("hz ")) {
                shown.put(k, v);
            }
        });
        String rest = shown.entrySet().stream().filter(e -> e.getValue() >= 0.005)
                .sorted(Comparator.comparing(Map.Entry<String, Double>::getValue).reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
        return String.format("%.2f s: %s%s", sum, rest, hz > 0 ? String.format(", hazelcast %.2f (%s)", hz, hzParts) : "");
    }
}
