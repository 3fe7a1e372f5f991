package dev.ludus.run;

import dev.ludus.nn.DivergedException;
import dev.ludus.nn.Network;
import dev.ludus.supervised.ClassificationTask;
import dev.ludus.supervised.ClassifierTrainer;
import dev.ludus.supervised.CsvDatasets;
import dev.ludus.supervised.DataSplit;
import dev.ludus.supervised.EpochStats;
import dev.ludus.supervised.Evaluation;
import dev.ludus.supervised.FashionMnist;
import dev.ludus.supervised.Standardizer;
import dev.ludus.supervised.TrainingListener;
import dev.ludus.supervised.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs {@code type=classification} tasks: loads the dataset, builds the network (an MLP, or the {@code network}
 * layer list) from the hyperparameters,
 * trains it with {@link ClassifierTrainer} and evaluates it on the test set.
 *
 * <p>Reports per epoch (step = epoch, 1-based) {@code train/loss}, {@code train/accuracy},
 * {@code val/loss}, {@code val/accuracy} (unless {@code val_fraction} 0 left no validation set) and
 * {@code perf/samples_per_s}; at the end {@code test/loss}
 * and {@code test/accuracy} (step = epochs run), the test confusion matrix, and the trained network
 * as artifact {@code model.ludus} (plus {@code preprocessing.json}, the feature standardisation, for
 * CSV datasets). Task and hyperparameter keys: {@link ClassificationTask}.
 *
 * <p>CSV datasets are split into train/validation/test with a fixed seed ({@link #CSV_SPLIT_SEED}),
 * not the trial's, so every trial of a sweep is measured on the same test rows; features are
 * standardised with statistics of the training rows.
 */
final class ClassificationTaskRunner implements TaskRunner {

    static final long CSV_SPLIT_SEED = 0x5EED_5B1DL;

    @Override
    public String type() {
        return "classification";
    }

    @Override
    public java.util.Set<String> summaryKeys() {
        return java.util.Set.of("train/loss", "train/accuracy", "epochs", "val/loss", "val/accuracy", "best_epoch",
            "perf/samples_per_s", "test/loss", "test/accuracy");
    }

    @Override
    public void validate(Map<String, Object> task, Map<String, Object> params) {
        ClassificationTask.parse(task, params, 0L);
    }

    /**
     * Every hyperparameter the trial trains with, defaults included (for its provenance and re-runs): the network
     * ({@code network} as given, or the MLP's {@code hidden}, {@code activation}, {@code dropout}, {@code batch_norm})
     * and the optimiser's settings.
     */
    @Override
    public Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        ClassificationTask t = ClassificationTask.parse(task, params, 0L);
        Map<String, Object> out = new LinkedHashMap<>();
        if (t.layers() != null) {
            out.put("network", params.get("network"));
        } else {
            out.put("hidden", t.network().hidden());
            out.put("activation", t.network().activation());
            out.put("dropout", t.network().dropout());
            out.put("batch_norm", t.network().batchNorm());
        }
        out.put("optimizer", t.trainer().optimizer());
        out.put("lr", t.trainer().lr());
        out.put("lr_schedule", t.trainer().lrSchedule());
        out.put("weight_decay", t.trainer().weightDecay());
        out.put("batch_size", t.trainer().batchSize());
        out.put("patience", t.trainer().patience());
        return out;
    }

    @Override
    public RunOutcome execute(RunSpec spec, RunListener listener) {
        ClassificationTask task = ClassificationTask.parse(spec.task(), spec.params(), spec.seed());
        SplittableRandom seeds = new SplittableRandom(spec.seed());
        long networkSeed = seeds.nextLong();

        DataSplit split;
        Standardizer standardizer = null;
        try {
            if (task.isFashionMnist()) {
                split = FashionMnist.load(task.dataDir(), task.valFraction());
            } else {
                split = CsvDatasets.load(Path.of(task.dataset()), task.labelColumn())
                    .split(task.valFraction(), task.testFraction(), new SplittableRandom(CSV_SPLIT_SEED));
                standardizer = Standardizer.fit(split.train());
                split = standardizer.apply(split);
            }
        } catch (IllegalArgumentException e) {
            // validate() only reads the header; errors in the rows surface here, still naming the field.
            String field = task.isFashionMnist() ? "task.data_dir: " : "task.dataset: ";
            throw new IllegalArgumentException(field + e.getMessage(), e);
        }
        if (task.limitTrain() != null) {
            split = split.limitTrain(task.limitTrain());
        }

        Network net = task.buildNetwork(split.train().width(), split.train().numClasses(), networkSeed);
        ClassifierTrainer trainer = new ClassifierTrainer(task.trainer().withSeed(seeds.nextLong()), task.augment());
        Map<String, Double> summary = new LinkedHashMap<>();
        // val_fraction 0: every non-test row trains, and there is no validation figure to report
        boolean validated = split.validation().rows() > 0;
        TrainingListener progress = new TrainingListener() {
            @Override
            public void epochEnded(EpochStats s) {
                listener.metric("train/loss", s.epoch(), s.trainLoss());
                listener.metric("train/accuracy", s.epoch(), s.trainAccuracy());
                if (validated) {
                    listener.metric("val/loss", s.epoch(), s.valLoss());
                    listener.metric("val/accuracy", s.epoch(), s.valAccuracy());
                }
                listener.metric("perf/samples_per_s", s.epoch(), s.samplesPerSecond());
                summary.put("train/loss", s.trainLoss());
                summary.put("train/accuracy", s.trainAccuracy());
                summary.put("epochs", (double) s.epoch());
            }

            @Override
            public boolean cancelled() {
                return listener.cancelled();
            }
        };

        TrainingResult result;
        try {
            // a checkpoint after every epoch: an interrupted run resumes at the next one
            result = trainer.fit(net, split.train(), split.validation(), progress,
                new Checkpoints(spec.checkpoint(), Checkpoints.fingerprint(spec), 0, 0, listener::note));
        } catch (DivergedException e) {
            return new RunOutcome(RunOutcome.Status.DIVERGED, summary, e.getMessage());
        }
        if (validated && result.best() != null) {
            summary.put("val/loss", result.best().valLoss());
            summary.put("val/accuracy", result.best().valAccuracy());
            summary.put("best_epoch", (double) result.bestEpoch());
        }
        summary.put("perf/samples_per_s", result.samplesPerSecond());
        if (result.cancelled()) {
            return new RunOutcome(RunOutcome.Status.CANCELLED, summary, "cancelled after " + result.history().size() + " epoch(s)");
        }

        Evaluation test = ClassifierTrainer.evaluate(net, split.test());
        long step = result.history().size();
        listener.metric("test/loss", step, test.loss());
        listener.metric("test/accuracy", step, test.accuracy());
        summary.put("test/loss", test.loss());
        summary.put("test/accuracy", test.accuracy());
        listener.confusionMatrix(test.confusion().labels(), test.confusion().counts());

        ByteArrayOutputStream model = new ByteArrayOutputStream();
        try {
            net.save(model);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the model: " + e.getMessage(), e);
        }
        listener.artifact("model.ludus", model.toByteArray());
        if (standardizer != null) {
            listener.artifact("preprocessing.json", preprocessingJson(standardizer, split.train().classNames()).getBytes(StandardCharsets.UTF_8));
        }
        return RunOutcome.finished(summary);
    }

    /** What a user needs besides the weights to classify new CSV rows: the scaling and the class order. */
    private static String preprocessingJson(Standardizer s, java.util.List<String> classNames) {
        StringBuilder sb = new StringBuilder("{\"standardize\":{\"mean\":").append(Arrays.toString(s.mean()))
            .append(",\"std\":").append(Arrays.toString(s.std())).append("},\"classes\":[");
        for (int i = 0; i < classNames.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(classNames.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append("]}").toString();
    }
}
