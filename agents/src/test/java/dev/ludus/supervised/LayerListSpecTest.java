package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerListSpecTest {
    @TempDir
    Path dir;

    static final List<Object> CNN = List.of(Map.of("conv", 32, "kernel", 3, "padding", 1), Map.of("max_pool", 2),
        Map.of("conv", 64, "kernel", 3, "padding", 1), Map.of("max_pool", 2), Map.of("dense", 128));

    private static String error(Object value, Shape input) {
        return assertThrows(IllegalArgumentException.class, () -> LayerListSpec.parse("params.network", value, input)).getMessage();
    }

    @Test
    void thePeersCnnBuildsWithTheOutputLayerAdded() {
        LayerListSpec spec = LayerListSpec.parse("params.network", CNN, FashionMnist.SHAPE);
        assertEquals(new LayerListSpec.Conv(32, 3, 1, 1, "relu"), spec.layers().get(0));
        assertEquals(new LayerListSpec.MaxPool(2, 2), spec.layers().get(1));
        Network net = spec.build(FashionMnist.SHAPE, 10, 1, 1);
        assertEquals("1x28x28 -> conv(32, k3, s1, p1) -> relu -> maxpool(2) -> conv(64, k3, s1, p1) -> relu -> maxpool(2)"
            + " -> flatten -> dense(128) -> relu -> dense(10)", net.describe());
        assertEquals(421_642, net.parameterCount());
    }

    @Test
    void everyKindAndOption() {
        List<Object> all = List.of(Map.of("conv", 4, "kernel", 5, "stride", 2, "padding", 2, "activation", "tanh"),
            Map.of("batch_norm", true), Map.of("avg_pool", 3, "stride", 1), Map.of("conv", 6, "kernel", 1, "activation", "identity"),
            Map.of("global_avg_pool", true), Map.of("dropout", 0.25), Map.of("dense", 16, "activation", "elu"));
        Network net = LayerListSpec.parse("params.network", all, FashionMnist.SHAPE).build(FashionMnist.SHAPE, 3, 2, 1);
        assertEquals("1x28x28 -> conv(4, k5, s2, p2) -> tanh -> batchnorm -> avgpool(3, s1) -> conv(6, k1, s1, p0)"
            + " -> globalavgpool -> dropout(0.25) -> dense(16) -> elu -> dense(3)", net.describe());
        // an image list without a dense layer is flattened before the output layer
        Network small = LayerListSpec.parse("params.network", List.of(Map.of("conv", 2, "kernel", 3), Map.of("max_pool", 2)),
            FashionMnist.SHAPE).build(FashionMnist.SHAPE, 10, 1, 1);
        assertEquals("1x28x28 -> conv(2, k3, s1, p0) -> relu -> maxpool(2) -> flatten -> dense(10)", small.describe());
        // dense-only lists work on vectors (CSV rows)
        Network mlp = LayerListSpec.parse("params.network", List.of(Map.of("dense", 8), Map.of("flatten", true)), Shape.of(5))
            .build(Shape.of(5), 2, 1, 1);
        assertEquals("5 -> dense(8) -> relu -> flatten -> dense(2)", mlp.describe());
    }

    @Test
    void errorsNameTheElementAndKey() {
        List<Object> bad = List.of(Map.of("conv", 32, "kernel", 3, "padding", 1), Map.of("max_pool", 2), Map.of("dropout", 0.1),
            Map.of("conv", 64, "kernel", 0));
        assertEquals("params.network[3].kernel: must be >= 1, got 0", error(bad, FashionMnist.SHAPE));
        assertEquals("params.network[0].kernel: required for a conv layer (the kernel's side, e.g. 3)",
            error(List.of(Map.of("conv", 8)), FashionMnist.SHAPE));
        assertEquals("params.network[0].conv: must be >= 1, got 0", error(List.of(Map.of("conv", 0, "kernel", 3)), FashionMnist.SHAPE));
        assertEquals("params.network[0].padding: must be >= 0, got -1",
            error(List.of(Map.of("conv", 8, "kernel", 3, "padding", -1)), FashionMnist.SHAPE));
        assertEquals("params.network[0].conv: must be an integer, got 2.5", error(List.of(Map.of("conv", 2.5, "kernel", 3)), FashionMnist.SHAPE));
        assertEquals("params.network[1]: one layer per object, got both 'dense' and 'dropout'",
            error(List.of(Map.of("dense", 8), new java.util.TreeMap<>(Map.of("dense", 8, "dropout", 0.5))), Shape.of(4)));
        assertEquals("params.network[0].units: unknown key for a dense layer; known: [activation]",
            error(List.of(new java.util.TreeMap<>(Map.of("dense", 8, "units", 3))), Shape.of(4)));
        assertEquals("params.network[0]: a layer object needs one of the keys [conv, dense, max_pool, avg_pool, global_avg_pool,"
            + " flatten, dropout, batch_norm, sequence, lstm, gru], got keys [linear]", error(List.of(Map.of("linear", 8)), Shape.of(4)));
        assertEquals("params.network[0].dropout: must be in [0, 1), got 1.5", error(List.of(Map.of("dropout", 1.5)), Shape.of(4)));
        assertEquals("params.network[0].batch_norm: must be true (leave the layer out instead of false)",
            error(List.of(Map.of("batch_norm", false)), Shape.of(4)));
        assertEquals("params.network[0].activation: must be one of [relu, leaky_relu, elu, sigmoid, tanh, identity], got 'swish'",
            error(List.of(Map.of("dense", 8, "activation", "swish")), Shape.of(4)));
        assertEquals("params.network: must be a list of layer objects such as [{\"conv\": 32, \"kernel\": 3}, {\"max_pool\": 2},"
            + " {\"dense\": 128}], got 128", error(128, Shape.of(4)));
        // shapes: a convolution needs an image, a window must fit
        assertEquals("params.network[0]: image layers (conv, pooling) need an image dataset; this dataset's rows are vectors"
            + " of features", error(List.of(Map.of("conv", 8, "kernel", 3)), Shape.of(4)));
        assertEquals("params.network[2]: conv kernel 9 with padding 0 does not fit input 8x7x7",
            error(List.of(Map.of("conv", 8, "kernel", 3, "padding", 1), Map.of("max_pool", 4), Map.of("conv", 8, "kernel", 9)),
                FashionMnist.SHAPE));
    }

    @Test
    void recurrentListsReadTheImageRowByRow() {
        List<Object> lstm = List.of(Map.of("sequence", "rows"), Map.of("lstm", 128));
        Network net = LayerListSpec.parse("params.network", lstm, FashionMnist.SHAPE).build(FashionMnist.SHAPE, 10, 1, 1);
        assertEquals("1x28x28 -> rows as steps -> lstm(128) -> dense(10)", net.describe());
        assertEquals(4 * 128 * (28 + 128 + 1) + 129 * 10, net.parameterCount());
        // a recurrent layer followed by another passes on every step; dense layers between apply per step
        List<Object> stacked = List.of(Map.of("sequence", "rows"), Map.of("gru", 16), Map.of("dense", 8, "activation", "tanh"),
            Map.of("lstm", 4), Map.of("dense", 6));
        assertEquals("1x28x28 -> rows as steps -> gru(16, every step) -> dense(8) -> tanh -> lstm(4) -> dense(6) -> relu"
            + " -> dense(10)", LayerListSpec.parse("params.network", stacked, FashionMnist.SHAPE)
            .build(FashionMnist.SHAPE, 10, 1, 1).describe());
        assertEquals("params.network[2].lstm: must be >= 1, got 0", error(List.of(Map.of("sequence", "rows"),
            Map.of("gru", 8), Map.of("lstm", 0)), FashionMnist.SHAPE));
        assertEquals("params.network[1].sequence: must be the first layer (it reads the input image row by row)",
            error(List.of(Map.of("dense", 8), Map.of("sequence", "rows")), FashionMnist.SHAPE));
        assertEquals("params.network[0].sequence: must be \"rows\" (an image read row by row), got 'columns'",
            error(List.of(Map.of("sequence", "columns")), FashionMnist.SHAPE));
        assertEquals("params.network[1].every_step: must be true or false, got 3",
            error(List.of(Map.of("sequence", "rows"), new java.util.TreeMap<>(Map.of("lstm", 8, "every_step", 3))),
                FashionMnist.SHAPE));
        assertEquals("params.network: a classifier needs one prediction per sample, but the layers end on a sequence; let the"
            + " last recurrent layer pass on its last step (\"every_step\": false)",
            error(List.of(Map.of("sequence", "rows"), new java.util.TreeMap<>(Map.of("lstm", 8, "every_step", true))),
                FashionMnist.SHAPE));
        assertTrue(error(List.of(Map.of("lstm", 8)), FashionMnist.SHAPE)
            .startsWith("params.network[0]: lstm needs a sequence input (steps, features), got 1x28x28"));
        assertTrue(error(List.of(Map.of("gru", 8)), Shape.of(4))
            .startsWith("params.network[0]: gru needs a sequence input (steps, features), got 4"));
    }

    @Test
    void theClassificationTaskTakesTheListInsteadOfTheMlpParams() throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x1,x2,y\n1,2,a\n3,4,b\n");
        Map<String, Object> task = Map.of("type", "classification", "dataset", csv.toString(), "epochs", 1, "label_column", "y");
        ClassificationTask t = ClassificationTask.parse(task, Map.of("network", List.of(Map.of("dense", 8))), 1);
        assertEquals(List.of(new LayerListSpec.Dense(8, "relu")), t.layers().layers());
        assertEquals("2 -> dense(8) -> relu -> dense(2)", t.buildNetwork(2, 2, 1).describe());
        assertNull(ClassificationTask.parse(task, Map.of(), 1).layers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ClassificationTask.parse(task, Map.of("network", List.of(Map.of("dense", 8)), "hidden", List.of(4)), 1));
        assertEquals("params.hidden: not used when params.network lists the layers; put it in the list instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> ClassificationTask.parse(task, Map.of("network", List.of(Map.of("conv", 8, "kernel", 1))), 1));
        assertEquals("params.network[0]: image layers (conv, pooling) need an image dataset; this dataset's rows are vectors"
            + " of features", e.getMessage());
    }
}
