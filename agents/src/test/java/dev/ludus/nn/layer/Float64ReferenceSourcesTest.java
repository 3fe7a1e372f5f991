package dev.ludus.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gradient checks' float64 reference ({@link Float64Reference}) runs a double-precision twin of the layer
 * stack, generated from the production (float32) classes by swapping the number type, so the two can never
 * disagree in their formulas: a formula error shows in the reference's tight finite-difference checks. The twins
 * live in the test sources only. This test fails when a production class changed without regenerating; regenerate
 * with {@code java -cp agents/target/test-classes dev.ludus.nn.layer.Float64ReferenceSourcesTest agents}.
 */
class Float64ReferenceSourcesTest {
    /** Production class (path under dev/ludus/nn) to its generated twin's name, in the same package. */
    static final Map<String, String> CLASSES = new LinkedHashMap<>();
    /** Names the twins use instead: hand-written double versions in the test sources. */
    static final Map<String, String> RENAMED = new LinkedHashMap<>();

    static {
        for (String c : new String[] {"Param", "Layer", "DenseLayer", "ActivationLayer", "DropoutLayer", "BatchNormLayer",
            "ChannelBatchNormLayer", "ConvLayer", "PoolLayer", "FlattenLayer", "RecurrentLayer", "LstmLayer", "GruLayer",
            "EmbeddingLayer", "SequenceRowsLayer", "Workspace", "LayerStack"}) {
            CLASSES.put("layer/" + c, c + "64");
        }
        CLASSES.put("loss/LossMath", "LossMath64");
        RENAMED.put("ElementOps", "ElementOps64");
        RENAMED.put("Gemm", "Gemm64");
        RENAMED.put("R032Store", "R064Store");
    }

    static String generate(String source, String fromClass) {
        String s = source;
        for (String path : CLASSES.keySet()) {
            String name = path.substring(path.indexOf('/') + 1);
            s = s.replaceAll("\\b" + name + "\\b", CLASSES.get(path));
        }
        for (Map.Entry<String, String> e : RENAMED.entrySet()) {
            s = s.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
        }
        s = s.replaceAll("\\bfloat\\b", "double");
        s = s.replaceAll("Float\\b", "Double");
        s = s.replaceAll("(\\d)f\\b", "$1d");
        Matcher m = Pattern.compile("^package [^;]+;\\n").matcher(s);
        if (!m.find()) {
            throw new IllegalStateException(fromClass + ": no package line");
        }
        return s.substring(0, m.end()) + "\n// GENERATED from " + fromClass + ".java by Float64ReferenceSourcesTest: do not"
                + " edit, edit " + fromClass + ".java and regenerate.\n" + s.substring(m.end());
    }

    /** Writes every twin; the argument is the agents module directory (default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            Files.writeString(twin(module, e), generate(Files.readString(source(module, e)), name(e)));
        }
    }

    @Test
    void generatedFloat64ClassesAreUpToDate() throws IOException {
        Path module = Path.of(".");
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            String expected = generate(Files.readString(source(module, e)), name(e));
            String actual = Files.readString(twin(module, e));
            assertEquals(expected, actual, e.getValue() + ".java is stale: regenerate it (see this test's javadoc)");
        }
    }

    private static String name(Map.Entry<String, String> e) {
        return e.getKey().substring(e.getKey().indexOf('/') + 1);
    }

    private static Path source(Path module, Map.Entry<String, String> e) {
        return module.resolve("src/main/java/dev/ludus/nn/" + e.getKey() + ".java");
    }

    private static Path twin(Path module, Map.Entry<String, String> e) {
        String dir = e.getKey().substring(0, e.getKey().indexOf('/'));
        return module.resolve("src/test/java/dev/ludus/nn/" + dir + "/" + e.getValue() + ".java");
    }
}
