package dev.ludus.platform.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.SweepPlan;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Architectures as a swept hyperparameter: a list of layer objects per value, errors naming value and element. */
class NetworkParamSweepTest {
    @TempDir
    Path dir;

    /** Validation only checks that the four Fashion-MNIST files exist; empty ones do (no trial runs here). */
    @BeforeEach
    void fakeFashionMnist() throws IOException {
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.createFile(dir.resolve(f + ".gz"));
        }
    }

    private String sweep(String network) {
        return """
                {"name": "cnn", "task": {"type": "classification", "dataset": "fashion-mnist", "data_dir": "%s", "epochs": 5},
                 "params": {"network": %s, "lr": 0.001, "batch_size": 128}, "seeds": [1, 2]}""".formatted(dir, network);
    }

    private static final String CNN = """
            [{"conv": 32, "kernel": 3, "padding": 1}, {"max_pool": 2}, {"conv": 64, "kernel": 3, "padding": 1}, {"max_pool": 2}, {"dense": 128}]""";

    @Test
    void theIssuesFormIsAccepted() {
        SweepPlan plan = SweepParser.parse(sweep("[" + CNN + "]"), TrialExecutor.RUNS);
        assertEquals(2, plan.runs().size());
        JsonArray layers = plan.runs().get(0).params().getJsonArray("network");
        assertEquals(5, layers.size());
        assertEquals(Map.of("conv", 32, "kernel", 3, "padding", 1), layers.getJsonObject(0).getMap());
    }

    @Test
    void twoArchitecturesAreTwoConfigurations() {
        SweepPlan plan = SweepParser.parse(sweep("[" + CNN + ", [{\"dense\": 256}, {\"dropout\": 0.2}, {\"dense\": 64, \"activation\": \"tanh\"}]]"),
                TrialExecutor.RUNS);
        assertEquals(4, plan.runs().size());
    }

    @Test
    void aMalformedLayerIsRejectedNamingTheValueAndTheElement() {
        String bad = """
                [{"conv": 32, "kernel": 3, "padding": 1}, {"max_pool": 2}, {"batch_norm": true}, {"conv": 64, "kernel": 0}, {"dense": 128}]""";
        BadInput e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep("[" + bad + "]"), TrialExecutor.RUNS));
        assertEquals("params.network[0][3].kernel: must be >= 1, got 0", e.getMessage());
        assertEquals("params.network[0][3].kernel", e.field());

        e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep("[" + CNN + ", [{\"conv\": 8, \"kernel\": 3}, {\"max_pool\": 40}]]"),
                TrialExecutor.RUNS));
        assertEquals("params.network[1][1]: maxPool window 40 does not fit input 8x26x26", e.getMessage());

        e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep("[[{\"conv\": 8, \"kernal\": 3}]]"), TrialExecutor.RUNS));
        assertEquals("params.network[0][0].kernal: unknown key for a conv layer; known: [activation, kernel, padding, stride]",
                e.getMessage());
    }

    @Test
    void aLayerListMustBeAListOfObjects() {
        // a single list of objects is a grid of layer objects, not one architecture: say what to write instead
        BadInput e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep(CNN), TrialExecutor.RUNS));
        assertEquals("params.network[0]: must be a number, string, boolean or list, not an object", e.getMessage());
        e = assertThrows(BadInput.class, () -> SweepParser.parse(sweep("[[{\"dense\": 16}, 3]]"), TrialExecutor.RUNS));
        assertEquals("params.network[0][1]: must be a layer object such as {\"dense\": 128}, got 3", e.getMessage());
    }
}
