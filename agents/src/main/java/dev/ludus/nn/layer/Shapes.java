package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;



/**
 * What each layer does to the shape of a sample. Errors say which layer cannot take which input, so the
 * builder rejects an architecture that does not fit before anything is allocated.
 */
public final class Shapes {
    private Shapes() {
    }

    /** The shape a layer of {@code spec} produces from {@code in}. */
    public static Shape after(Shape in, LayerSpec spec) {
        if (spec instanceof LayerSpec.Dense d) {
            // on a sequence a dense layer applies to every step (PyTorch's nn.Linear on (batch, steps, features))
            return in.isSequence() ? Shape.of(in.steps(), d.units()) : Shape.of(d.units());
        }
        if (spec instanceof LayerSpec.Lstm || spec instanceof LayerSpec.Gru) {
            boolean lstm = spec instanceof LayerSpec.Lstm;
            String name = lstm ? "lstm" : "gru";
            int units = lstm ? ((LayerSpec.Lstm) spec).units() : ((LayerSpec.Gru) spec).units();
            boolean everyStep = lstm ? ((LayerSpec.Lstm) spec).everyStep() : ((LayerSpec.Gru) spec).everyStep();
            positive(name + " units", units);
            if (!in.isSequence()) {
                throw new IllegalArgumentException(name + " needs a sequence input (steps, features), got " + in
                        + "; start the builder with Network.builder(Shape.of(steps, features)), or put embedding(vocab, dim)"
                        + " or sequenceRows() first");
            }
            return everyStep ? Shape.of(in.steps(), units) : Shape.of(units);
        }
        if (spec instanceof LayerSpec.Embedding e) {
            positive("embedding vocab", e.vocab());
            positive("embedding dim", e.dim());
            if (in.isImage()) {
                throw new IllegalArgumentException("embedding needs token ids as a vector (one id per step) or a sequence,"
                        + " got image " + in);
            }
            long width = (long) (in.isSequence() ? in.features() : 1) * e.dim();
            if (width * in.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("embedding dim " + e.dim() + " on input " + in + " is too large");
            }
            return in.isSequence() ? Shape.of(in.steps(), (int) width) : Shape.of(in.size(), e.dim());
        }
        if (spec instanceof LayerSpec.SequenceRows) {
            if (!in.isImage()) {
                throw new IllegalArgumentException("sequence rows reads an image row by row; it needs an image input"
                        + " (channels, height, width), got " + in);
            }
            return Shape.of(in.height(), in.channels() * in.width());
        }
        if (spec instanceof LayerSpec.Act || spec instanceof LayerSpec.Dropout || spec instanceof LayerSpec.BatchNorm) {
            return in;
        }
        if (spec instanceof LayerSpec.Flatten) {
            return Shape.of(in.size());
        }
        if (spec instanceof LayerSpec.GlobalAvgPool) {
            return Shape.of(image(in, "globalAvgPool").channels());
        }
        if (spec instanceof LayerSpec.Conv c) {
            Shape img = image(in, "conv");
            positive("conv filters", c.filters());
            positive("conv kernel", c.kernel());
            positive("conv stride", c.stride());
            if (c.padding() < 0) {
                throw new IllegalArgumentException("conv padding must be >= 0, got " + c.padding());
            }
            if (c.padding() >= c.kernel()) {
                throw new IllegalArgumentException("conv padding must be < kernel (" + c.kernel() + "), got " + c.padding());
            }
            int h = outSize(img.height(), c.kernel(), c.stride(), c.padding());
            int w = outSize(img.width(), c.kernel(), c.stride(), c.padding());
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("conv kernel " + c.kernel() + " with padding " + c.padding()
                        + " does not fit input " + img);
            }
            return Shape.of(c.filters(), h, w);
        }
        int size;
        int stride;
        String name;
        if (spec instanceof LayerSpec.MaxPool p) {
            size = p.size();
            stride = p.stride();
            name = "maxPool";
        } else if (spec instanceof LayerSpec.AvgPool p) {
            size = p.size();
            stride = p.stride();
            name = "avgPool";
        } else {
            throw new IllegalArgumentException("unknown layer " + spec);
        }
        Shape img = image(in, name);
        positive(name + " size", size);
        positive(name + " stride", stride);
        int h = outSize(img.height(), size, stride, 0);
        int w = outSize(img.width(), size, stride, 0);
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(name + " window " + size + " does not fit input " + img);
        }
        return Shape.of(img.channels(), h, w);
    }

    /** Output length of a window of {@code kernel} moved by {@code stride} over {@code n} + 2 {@code padding}. */
    public static int outSize(int n, int kernel, int stride, int padding) {
        long span = (long) n + 2L * padding - kernel;
        return span < 0 ? 0 : (int) (span / stride + 1);
    }

    /** Trainable scalars of a layer of {@code spec} on input {@code in} (to refuse absurd sizes in a file). */
    public static long parameters(Shape in, LayerSpec spec) {
        if (spec instanceof LayerSpec.Dense d) {
            return ((long) (in.isSequence() ? in.features() : in.size()) + 1) * d.units();
        }
        if (spec instanceof LayerSpec.Lstm l) {
            return 4L * l.units() * ((long) in.features() + l.units() + 1);
        }
        if (spec instanceof LayerSpec.Gru g) {
            return 3L * g.units() * ((long) in.features() + g.units() + 2);
        }
        if (spec instanceof LayerSpec.Embedding e) {
            return (long) e.vocab() * e.dim();
        }
        if (spec instanceof LayerSpec.Conv c) {
            return ((long) in.channels() * c.kernel() * c.kernel() + 1) * c.filters();
        }
        if (spec instanceof LayerSpec.BatchNorm) {
            return 2L * (in.isImage() ? in.channels() : in.isSequence() ? in.features() : in.size());
        }
        return 0;
    }

    /** The short name {@code Network.describe} prints for an image layer. */
    public static String describe(LayerSpec spec) {
        if (spec instanceof LayerSpec.Conv c) {
            return "conv(" + c.filters() + ", k" + c.kernel() + ", s" + c.stride() + ", p" + c.padding() + ")";
        }
        if (spec instanceof LayerSpec.MaxPool p) {
            return "maxpool(" + p.size() + (p.stride() != p.size() ? ", s" + p.stride() : "") + ")";
        }
        if (spec instanceof LayerSpec.AvgPool p) {
            return "avgpool(" + p.size() + (p.stride() != p.size() ? ", s" + p.stride() : "") + ")";
        }
        if (spec instanceof LayerSpec.GlobalAvgPool) {
            return "globalavgpool";
        }
        if (spec instanceof LayerSpec.Flatten) {
            return "flatten";
        }
        if (spec instanceof LayerSpec.Lstm l) {
            return "lstm(" + l.units() + (l.everyStep() ? ", every step" : "") + ")";
        }
        if (spec instanceof LayerSpec.Gru g) {
            return "gru(" + g.units() + (g.everyStep() ? ", every step" : "") + ")";
        }
        if (spec instanceof LayerSpec.Embedding e) {
            return "embedding(" + e.vocab() + ", " + e.dim() + ")";
        }
        if (spec instanceof LayerSpec.SequenceRows) {
            return "rows as steps";
        }
        return spec.toString();
    }

    private static Shape image(Shape in, String layer) {
        if (!in.isImage()) {
            throw new IllegalArgumentException(layer + " needs an image input (channels, height, width), got " + in
                    + "; start the builder with Network.builder(Shape.of(c, h, w))");
        }
        return in;
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + v);
        }
    }
}
