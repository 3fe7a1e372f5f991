package dev.ludus.nn;

import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The library must run on a JVM started without {@code --add-modules jdk.incubator.vector}. */
class WithoutVectorModuleTest {

    /** Trains a small classifier with the plain-Java paths and prints the kernel name and accuracy. */
    public static void main(String[] args) {
        float[][] data = NetworkTest.spirals(100, 1);
        Network net = Network.builder(2).seed(7).threads(2).dense(32, Activation.TANH).dense(2).build();
        Optimizer opt = Optimizer.adam(0.02);
        for (int step = 0; step < 300; step++) {
            net.trainStep(data[0], 200, Loss.SOFTMAX_CROSS_ENTROPY, data[1], null, null, opt);
        }
        float[] a = random(37 * 19, new java.util.SplittableRandom(1));
        float[] b = random(19 * 41, new java.util.SplittableRandom(2));
        float[] c = new float[37 * 41];
        float[] ref = new float[37 * 41];
        net.gemm().multiply(false, false, 37, 41, 19, a, b, c, false);
        Gemm.ojAlgo().multiply(false, false, 37, 41, 19, a, b, ref, false);
        double err = 0;
        for (int i = 0; i < c.length; i++) {
            err = Math.max(err, Math.abs(c[i] - ref[i]));
        }
        System.out.println("available=" + Gemm.vectorAvailable() + " kernel=" + net.gemm().name()
                + " accuracy=" + NetworkTest.accuracy(net, data[0], data[1], 200) + " gemmError=" + err);
    }

    private static float[] random(int n, java.util.SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void runsOnPlainJavaWhenTheModuleIsAbsent() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleTest.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false kernel=blocked"), out);
        double acc = Double.parseDouble(out.replaceAll(".*accuracy=([0-9.]+).*", "$1"));
        double err = Double.parseDouble(out.replaceAll(".*gemmError=([0-9.Ee-]+).*", "$1"));
        assertTrue(acc > 0.8, out);
        assertTrue(err < 1e-4, out);
    }
}
