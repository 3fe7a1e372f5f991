package dev.ludus.nn;

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
 * The float64 core is generated from the hand-written float32 classes by swapping the number type, so
 * the two can never disagree in their formulas. This test fails when a float32 class changed without
 * regenerating; regenerate with
 * {@code java -cp agents/target/test-classes:agents/target/classes dev.ludus.nn.Float64SourcesTest agents/src/main/java/dev/ludus/nn}.
 */
class Float64SourcesTest {
    static final Map<String, String> CLASSES = new LinkedHashMap<>();

    static {
        CLASSES.put("Param", "Param64");
        CLASSES.put("Layer", "Layer64");
        CLASSES.put("DenseLayer", "DenseLayer64");
        CLASSES.put("ActivationLayer", "ActivationLayer64");
        CLASSES.put("DropoutLayer", "DropoutLayer64");
        CLASSES.put("BatchNormLayer", "BatchNormLayer64");
        CLASSES.put("ChannelBatchNormLayer", "ChannelBatchNormLayer64");
        CLASSES.put("ConvLayer", "ConvLayer64");
        CLASSES.put("PoolLayer", "PoolLayer64");
        CLASSES.put("FlattenLayer", "FlattenLayer64");
        CLASSES.put("RecurrentLayer", "RecurrentLayer64");
        CLASSES.put("LstmLayer", "LstmLayer64");
        CLASSES.put("GruLayer", "GruLayer64");
        CLASSES.put("EmbeddingLayer", "EmbeddingLayer64");
        CLASSES.put("SequenceRowsLayer", "SequenceRowsLayer64");
        CLASSES.put("Workspace", "Workspace64");
        CLASSES.put("Core32", "Core64");
        CLASSES.put("LossMath", "LossMath64");
        CLASSES.put("OptimizerMath", "OptimizerMath64");
    }

    private static final String API = "/*api*/float";
    private static final String HOLD = "\u0000API\u0000";

    static String generate(String source, String fromClass) {
        String s = source.replace(API, HOLD);
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            s = s.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
        }
        s = s.replaceAll("\\bfloat\\b", "double");
        s = s.replaceAll("Float\\b", "Double");
        s = s.replaceAll("(\\d)f\\b", "$1d");
        s = s.replace(HOLD, API);
        Matcher m = Pattern.compile("^package [^;]+;\\n").matcher(s);
        if (!m.find()) {
            throw new IllegalStateException(fromClass + ": no package line");
        }
        return s.substring(0, m.end()) + "\n// GENERATED from " + fromClass + ".java by Float64SourcesTest: do not edit,"
                + " edit " + fromClass + ".java and regenerate.\n" + s.substring(m.end());
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/main/java/dev/ludus/nn");
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            String src = Files.readString(dir.resolve(e.getKey() + ".java"));
            Files.writeString(dir.resolve(e.getValue() + ".java"), generate(src, e.getKey()));
        }
    }

    @Test
    void generatedFloat64ClassesAreUpToDate() throws IOException {
        Path dir = Path.of("src/main/java/dev/ludus/nn");
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            String expected = generate(Files.readString(dir.resolve(e.getKey() + ".java")), e.getKey());
            String actual = Files.readString(dir.resolve(e.getValue() + ".java"));
            assertEquals(expected, actual, e.getValue() + ".java is stale: regenerate it (see this test's javadoc)");
        }
    }
}
