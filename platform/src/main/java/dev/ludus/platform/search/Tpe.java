package dev.ludus.platform.search;

import dev.ludus.platform.search.SearchSpace.Categorical;
import dev.ludus.platform.search.SearchSpace.Dimension;
import dev.ludus.platform.search.SearchSpace.IntUniform;
import dev.ludus.platform.search.SearchSpace.LogUniform;
import dev.ludus.platform.search.SearchSpace.Uniform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator as Optuna 3.1's {@code TPESampler(multivariate=True, constant_liar=True)}
 * with its defaults: random start-up trials, then split the observations into the γ(n) = min(⌈0.1 n⌉, 25) best
 * ("below") and the rest ("above"), fit a multivariate Parzen estimator to each (one Gaussian kernel per
 * observation with Scott-like bandwidth 0.2 n^(-1/(d+4)) of the range, clipped below at range / min(100, n + 2),
 * plus a prior kernel of width the range and weight 1; older observations ramp down in weight past 25), draw
 * {@link Settings#eiCandidates} candidates from "below" and keep the one maximising l(x) / g(x). Trials still running
 * are "above" whatever they will score (the constant liar), so parallel workers do not crowd one region.
 *
 * <p>Kernel log-densities are Optuna 3.1's to the digit, including its truncated-normal {@code logpdf} leaving out
 * the {@code -log σ} term: with it (the textbook density) the narrow observation kernels dominate the prior and
 * the median regret on Hartmann-6 got worse in {@code bench/run tpe} (0.57 against 0.37 after 50 trials, 40 seeds).
 *
 * <p>The whole pipeline (start-up count, split, weights in trial order, densities, candidate choice) is checked
 * against Optuna 3.1 given the same trial history by {@code TpeFidelityTest}. Two deliberate differences, both about
 * trials Optuna's benchmarks never have: a configuration whose runs all ended without a value (failed, diverged)
 * stays in the history as the worst trial (Optuna drops failed trials), and partial (pruned) trials rank by their
 * last value only, not first by how far they got as Optuna's {@code (-step, value)}.
 *
 * <p>Stateless: a suggestion depends only on the observations and the {@code rng} passed (or the study seed and
 * trial number), so a study whose state is its stored trials makes the same suggestion after a restart.
 *
 * <p>{@link Settings} beyond {@link Settings#OPTUNA} (a Latin-hypercube start-up, Scott's bandwidth, the normalised
 * kernel, switch-after-d) are departures from Optuna 3.1 measured by {@code bench/run tpe select} on held-out seeds
 * (docs/benchmarks.md, "a TPE better than Optuna 3.1's"); none beat Optuna at every checkpoint, so sweeps use
 * {@link Settings#OPTUNA}.
 */
public final class Tpe {

    /**
     * @param startupTrials trials sampled at random before the model is used (Optuna: 10)
     * @param eiCandidates  candidates drawn from l(x) per suggestion (Optuna: 24)
     * @param priorWeight   weight of the prior kernel (Optuna: 1.0)
     * @param startup       how the start-up trials are drawn (Optuna: independently at random)
     * @param bandwidth     the width of the observation kernels of numeric dimensions (Optuna: data-blind)
     * @param kernel        how a numeric kernel's log-density is computed (Optuna 3.1: without its -log σ)
     */
    public record Settings(int startupTrials, int eiCandidates, double priorWeight, Startup startup,
                           Bandwidth bandwidth, Kernel kernel) {
        /** Optuna 3.1's {@code TPESampler(multivariate=True)} defaults, exactly: the preset the fidelity tests use. */
        public static final Settings OPTUNA = new Settings(10, 24, 1.0, Startup.RANDOM, Bandwidth.OPTUNA,
                Kernel.OPTUNA_3_1);

        public Settings {
            if (startupTrials < 1 || eiCandidates < 1 || !(priorWeight > 0) || startup == null || bandwidth == null
                    || kernel == null) {
                throw new IllegalArgumentException("Tpe.Settings: startupTrials and eiCandidates must be >= 1, "
                        + "priorWeight > 0, startup, bandwidth and kernel set");
            }
        }

        public Settings with(Startup s) {
            return new Settings(startupTrials, eiCandidates, priorWeight, s, bandwidth, kernel);
        }

        public Settings with(Bandwidth b) {
            return new Settings(startupTrials, eiCandidates, priorWeight, startup, b, kernel);
        }

        public Settings with(Kernel k) {
            return new Settings(startupTrials, eiCandidates, priorWeight, startup, bandwidth, k);
        }

        public Settings withPriorWeight(double w) {
            return new Settings(startupTrials, eiCandidates, w, startup, bandwidth, kernel);
        }
    }

    /** A numeric kernel's log-density. */
    public enum Kernel {
        /** Optuna 3.1's: the truncated normal's log-density without its -log σ term. */
        OPTUNA_3_1,
        /** The truncated normal's log-density, -log σ included (kernels of different widths compare fairly). */
        NORMALISED
    }

    /** The start-up trials' design. */
    public enum Startup {
        /** Each start-up trial drawn independently from the prior (Optuna). */
        RANDOM,
        /**
         * The first {@link Settings#startupTrials} trials form a Latin hypercube: per dimension, one random
         * permutation of as many equal strata of the unit interval, a uniform point within each, mapped through the
         * dimension (log scale for log-uniform, cells for integers and categoricals). Deterministic per study seed,
         * whichever order the trials are asked in.
         */
        LATIN_HYPERCUBE
    }

    /** The observation kernels' width on a numeric dimension of l(x) or g(x), before Optuna's magic clip. */
    public enum Bandwidth {
        /** Optuna's 0.2 n^(-1/(d+4)) of the range, the same whatever the observations. */
        OPTUNA,
        /**
         * Scott's rule on the set's own observations of that dimension, 1.059 min(sd, IQR / 1.34) n^(-1/(d+4))
         * (the "scott" bandwidth of Watanabe 2023 with the multivariate exponent): narrow when the set has
         * concentrated; Optuna's width while fewer than 2 distinct values.
         */
        SCOTT,
        /** Scott's rule for l(x), Optuna's width for g(x). */
        SCOTT_BELOW,
        /**
         * Optuna's width and kernel while l(x) holds at most d observations (too few for a spread in d dimensions),
         * then {@link #SCOTT_BELOW} with the {@link Kernel#NORMALISED} kernel.
         */
        SCOTT_BELOW_ONCE_MORE_THAN_D,
        /** As {@link #SCOTT_BELOW_ONCE_MORE_THAN_D}, switching once l(x) holds more than d / 2 observations. */
        SCOTT_BELOW_ONCE_MORE_THAN_HALF_D
    }

    /**
     * One trial the model learns from: its searched values by name, its loss (lower is better: the objective
     * negated when maximising) and how far it got: {@link Kind#COMPLETE} trials rank first by loss, then
     * {@link Kind#PARTIAL} ones (pruned or ended without a value) by loss, then {@link Kind#RUNNING} ones.
     */
    public record Observation(Map<String, Object> values, double loss, Kind kind) {
        public enum Kind { COMPLETE, PARTIAL, RUNNING }
    }

    private static final double SIGMA0_MAGNITUDE = 0.2;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Settings settings;

    public Tpe(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** γ(n): how many of n finished trials form l(x). */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** Optuna's {@code default_weights}: flat for the newest 25, a linear ramp from 1/n for older ones. */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    /**
     * The searched values for trial {@code number} of a study seeded {@code seed}: the start-up design's point while
     * in start-up (a {@link Startup#LATIN_HYPERCUBE} covers trials 0 .. startupTrials - 1; later start-up trials, as
     * when trials run in parallel, are random), else the model's choice, drawing on trial {@code number}'s stream.
     *
     * @param history every trial so far in creation order (running ones included)
     */
    public Map<String, Object> suggest(SearchSpace space, List<Observation> history, long seed, int number) {
        if (settings.startup() == Startup.LATIN_HYPERCUBE && number < settings.startupTrials()
                && model(space, history) == null) {
            return latinHypercube(space, settings.startupTrials(), seed).get(number);
        }
        return suggest(space, history, Study.trialRandom(seed, number));
    }

    /**
     * The {@code size} points of a study's Latin hypercube over every dimension of the space, in trial order. Its own
     * stream (split from the study seed's, so independent of the trials' streams) draws, dimension by dimension, a
     * permutation of the strata and then a uniform offset within each.
     */
    static List<Map<String, Object>> latinHypercube(SearchSpace space, int size, long seed) {
        SplittableRandom design = new SplittableRandom(seed).split();
        List<Dimension> all = space.dimensions();
        double[][] unit = new double[size][all.size()];
        int[][] stratum = new int[size][all.size()];
        for (int j = 0; j < all.size(); j++) {
            int[] strata = new int[size];
            for (int i = 0; i < size; i++) {
                strata[i] = i;
            }
            for (int i = size - 1; i > 0; i--) { // Fisher-Yates
                int k = design.nextInt(i + 1);
                int t = strata[i];
                strata[i] = strata[k];
                strata[k] = t;
            }
            for (int i = 0; i < size; i++) {
                unit[i][j] = (strata[i] + design.nextDouble()) / size;
                stratum[i][j] = strata[i];
            }
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int j = 0; j < all.size(); j++) {
                Dimension d = all.get(j);
                // a categorical takes its choice from the stratum alone, so each of k choices gets size / k trials,
                // rounded down or up (a random point in a stratum could fall on either side of a choice's boundary)
                out.put(d.name(), d instanceof Categorical c
                        ? c.external((int) ((long) stratum[i][j] * c.choices().size() / size)) : fromUnit(d, unit[i][j]));
            }
            points.add(out);
        }
        return points;
    }

    /** The value of a numeric dimension at unit coordinate u in [0, 1): its quantile under random search's prior. */
    static Object fromUnit(Dimension d, double u) {
        if (d instanceof Uniform x) {
            return x.external(x.low() + u * (x.high() - x.low()));
        }
        if (d instanceof LogUniform x) {
            return x.external(Math.log(x.low()) + u * (Math.log(x.high()) - Math.log(x.low())));
        }
        IntUniform x = (IntUniform) d;
        double span = (double) x.high() - x.low() + 1;
        return x.low() + Math.min(x.high() - x.low(), (long) Math.floor(u * span));
    }

    /**
     * The searched values for the next trial, drawing on {@code rng}: random while in start-up, as Optuna.
     *
     * @param history every trial so far in creation order (running ones included)
     */
    public Map<String, Object> suggest(SearchSpace space, List<Observation> history, SplittableRandom rng) {
        Model model = model(space, history);
        if (model == null) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Dimension d : space.dimensions()) {
                out.put(d.name(), d.sample(rng));
            }
            return out;
        }
        List<Dimension> dims = model.dims();
        double[][] candidates = new double[settings.eiCandidates()][];
        double bestScore = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int c = 0; c < candidates.length; c++) {
            candidates[c] = model.below().sample(rng);
        }
        for (int c = 0; c < candidates.length; c++) {
            double score = model.below().logPdf(candidates[c]) - model.above().logPdf(candidates[c]);
            if (score > bestScore) { // the first maximum, as numpy's argmax
                bestScore = score;
                best = c;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Dimension d : space.dimensions()) {
            int at = dims.indexOf(d);
            out.put(d.name(), at >= 0 ? d.external(candidates[best][at]) : d.lowest());
        }
        return out;
    }

    /**
     * The two densities a suggestion compares: l(x) over the γ(n) best trials ({@code below}) and g(x) over the rest
     * ({@code above}), with the indices into the history of the trials each holds (in creation order).
     */
    record Model(List<Dimension> dims, Parzen below, Parzen above, int[] belowTrials, int[] aboveTrials) {
    }

    /**
     * The model for {@code history}, or null while it is still in start-up. As Optuna's {@code _sample_relative}:
     * n counts the trials that ended (complete, and partial as Optuna's pruned ones), the split ranks every trial of
     * the history, and a trial without a value for every modelled dimension (the space changed) is then left out of
     * either side.
     */
    Model model(SearchSpace space, List<Observation> history) {
        List<Dimension> dims = space.modelled();
        int n = (int) history.stream().filter(o -> o.kind() != Observation.Kind.RUNNING).count();
        if (n < settings.startupTrials() || dims.isEmpty()) {
            return null;
        }
        Integer[] byLoss = new Integer[history.size()];
        for (int i = 0; i < byLoss.length; i++) {
            byLoss[i] = i;
        }
        Arrays.sort(byLoss, Comparator.<Integer>comparingInt(i -> history.get(i).kind().ordinal())
                .thenComparingDouble(i -> history.get(i).loss())); // stable: ties keep creation order
        int nBelow = Math.min(gamma(n), byLoss.length);
        int[] below = Arrays.stream(byLoss, 0, nBelow).mapToInt(Integer::intValue).sorted().toArray();
        int[] above = Arrays.stream(byLoss, nBelow, byLoss.length).mapToInt(Integer::intValue).sorted().toArray();
        Bandwidth belowWidth = settings.bandwidth();
        Kernel kernel = settings.kernel();
        if (belowWidth == Bandwidth.SCOTT_BELOW_ONCE_MORE_THAN_D || belowWidth == Bandwidth.SCOTT_BELOW_ONCE_MORE_THAN_HALF_D) {
            boolean enough = below.length > (belowWidth == Bandwidth.SCOTT_BELOW_ONCE_MORE_THAN_D ? dims.size()
                    : dims.size() / 2.0);
            belowWidth = enough ? Bandwidth.SCOTT_BELOW : Bandwidth.OPTUNA;
            kernel = enough ? Kernel.NORMALISED : Kernel.OPTUNA_3_1;
        }
        Bandwidth aboveWidth = belowWidth == Bandwidth.SCOTT_BELOW ? Bandwidth.OPTUNA : belowWidth;
        return new Model(dims, new Parzen(dims, internal(dims, history, below), settings.priorWeight(), belowWidth,
                kernel), new Parzen(dims, internal(dims, history, above), settings.priorWeight(), aboveWidth, kernel),
                below, above);
    }

    /** The internal coordinates of the given trials, leaving out those missing a modelled value (Optuna's mask). */
    private static double[][] internal(List<Dimension> dims, List<Observation> history, int[] trials) {
        List<double[]> out = new ArrayList<>();
        for (int i : trials) {
            double[] x = new double[dims.size()];
            boolean known = true;
            for (int d = 0; d < dims.size() && known; d++) {
                x[d] = dims.get(d).internal(history.get(i).values().get(dims.get(d).name()));
                known = !Double.isNaN(x[d]);
            }
            if (known) {
                out.add(x);
            }
        }
        return out.toArray(double[][]::new);
    }

    /** A mixture of one kernel per observation (in given order) and a prior kernel, over the modelled dimensions. */
    static final class Parzen {
        private final List<Dimension> dims;
        private final int components;
        private final double[] logWeights;
        private final double[] cumulativeWeights;
        /** Per numeric dimension: bounds in internal coordinates (integers widened by half a step). */
        private final double[] low;
        private final double[] high;
        /** mus[d][k], sigmas[d][k]; for a categorical d: probabilities[d][k][choice]. */
        private final double[][] mus;
        private final double[][] sigmas;
        private final double[][] logMass;
        /** For continuous dimensions: log(1 / (√(2π) mass)), the constant of each kernel's log-density. */
        private final double[][] logNorm;
        private final double[][] inverseSigmas;
        private final byte[] kinds;
        private final double[][][] probabilities;
        private static final byte CONTINUOUS = 0;
        private static final byte INTEGER = 1;
        private static final byte CATEGORICAL = 2;

        Parzen(List<Dimension> dims, double[][] observations, double priorWeight) {
            this(dims, observations, priorWeight, Bandwidth.OPTUNA, Kernel.OPTUNA_3_1);
        }

        Parzen(List<Dimension> dims, double[][] observations, double priorWeight, Bandwidth bandwidth, Kernel kernel) {
            this.dims = dims;
            int n = observations.length;
            components = n + 1; // Optuna's consider_prior = True
            double[] w = new double[components];
            System.arraycopy(weights(n), 0, w, 0, n);
            w[n] = priorWeight;
            double sum = Arrays.stream(w).sum();
            logWeights = new double[components];
            cumulativeWeights = new double[components];
            double running = 0;
            for (int k = 0; k < components; k++) {
                w[k] /= sum;
                logWeights[k] = Math.log(w[k]);
                running += w[k];
                cumulativeWeights[k] = running;
            }
            int d = dims.size();
            low = new double[d];
            high = new double[d];
            mus = new double[d][];
            sigmas = new double[d][];
            logMass = new double[d][];
            logNorm = new double[d][];
            inverseSigmas = new double[d][];
            kinds = new byte[d];
            probabilities = new double[d][][];
            double sigma0 = SIGMA0_MAGNITUDE * Math.pow(Math.max(n, 1), -1.0 / (d + 4));
            for (int j = 0; j < d; j++) {
                Dimension dim = dims.get(j);
                kinds[j] = dim instanceof Categorical ? CATEGORICAL : dim instanceof IntUniform ? INTEGER : CONTINUOUS;
                if (dim instanceof Categorical c) {
                    int choices = c.choices().size();
                    double[][] p = new double[components][choices];
                    double base = priorWeight / components;
                    for (int k = 0; k < components; k++) {
                        Arrays.fill(p[k], base);
                        if (k < n) {
                            p[k][(int) observations[k][j]] += 1;
                        }
                        double rowSum = Arrays.stream(p[k]).sum();
                        for (int i = 0; i < choices; i++) {
                            p[k][i] /= rowSum;
                        }
                    }
                    probabilities[j] = p;
                    continue;
                }
                double lo;
                double hi;
                if (dim instanceof IntUniform iu) {
                    lo = iu.low() - 0.5;
                    hi = iu.high() + 0.5;
                } else if (dim instanceof LogUniform lu) {
                    lo = Math.log(lu.low());
                    hi = Math.log(lu.high());
                } else {
                    lo = ((Uniform) dim).low();
                    hi = ((Uniform) dim).high();
                }
                low[j] = lo;
                high[j] = hi;
                double range = hi - lo;
                double minSigma = range / Math.min(100.0, 1.0 + components); // Optuna's magic clip
                double width = bandwidth == Bandwidth.OPTUNA ? Double.NaN : scott(observations, j, d);
                double sigma = Math.min(range, Math.max(minSigma, Double.isNaN(width) ? sigma0 * range : width));
                double[] mu = new double[components];
                double[] sg = new double[components];
                double[] mass = new double[components];
                double[] norm = new double[components];
                double[] inverse = new double[components];
                for (int k = 0; k < components; k++) {
                    mu[k] = k < n ? observations[k][j] : 0.5 * (lo + hi);
                    sg[k] = k < n ? sigma : range;
                    mass[k] = Normal.logMass((lo - mu[k]) / sg[k], (hi - mu[k]) / sg[k]);
                    norm[k] = -LOG_SQRT_2PI - mass[k] // no -log σ in Optuna 3.1 (see the class comment)
                            - (kernel == Kernel.NORMALISED ? Math.log(sg[k]) : 0);
                    inverse[k] = 1 / sg[k];
                }
                mus[j] = mu;
                sigmas[j] = sg;
                logMass[j] = mass;
                logNorm[j] = norm;
                inverseSigmas[j] = inverse;
            }
        }

        /**
         * Scott's rule for dimension {@code j} of the observations, 1.059 min(sd, IQR / 1.34) n^(-1/(d+4)) (sd with
         * n - 1; IQR by linear interpolation, as numpy's percentile; sd alone when the IQR is 0), or NaN when the
         * observations have fewer than 2 distinct values there.
         */
        static double scott(double[][] observations, int j, int d) {
            int n = observations.length;
            if (n < 2) {
                return Double.NaN;
            }
            double[] v = new double[n];
            double mean = 0;
            for (int k = 0; k < n; k++) {
                v[k] = observations[k][j];
                mean += v[k];
            }
            mean /= n;
            double squares = 0;
            for (double x : v) {
                squares += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(squares / (n - 1));
            if (!(sd > 0)) {
                return Double.NaN;
            }
            Arrays.sort(v);
            double iqr = percentile(v, 0.75) - percentile(v, 0.25);
            double spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
            return 1.059 * spread * Math.pow(n, -1.0 / (d + 4));
        }

        /** The q-quantile of sorted values by linear interpolation (numpy's default). */
        private static double percentile(double[] sorted, double q) {
            double at = q * (sorted.length - 1);
            int i = (int) Math.floor(at);
            return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
        }

        double[] sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            int k = 0;
            while (k < components - 1 && cumulativeWeights[k] <= u) {
                k++;
            }
            double[] x = new double[dims.size()];
            for (int j = 0; j < x.length; j++) {
                Dimension dim = dims.get(j);
                if (dim instanceof Categorical) {
                    double[] p = probabilities[j][k];
                    double q = rng.nextDouble();
                    double cum = 0;
                    int choice = 0;
                    for (; choice < p.length - 1; choice++) {
                        cum += p[choice];
                        if (q < cum) {
                            break;
                        }
                    }
                    x[j] = choice;
                } else {
                    double a = (low[j] - mus[j][k]) / sigmas[j][k];
                    double b = (high[j] - mus[j][k]) / sigmas[j][k];
                    double z = Normal.truncatedSample(a, b, rng.nextDouble());
                    double v = Math.min(high[j], Math.max(low[j], mus[j][k] + sigmas[j][k] * z));
                    if (dim instanceof IntUniform iu) {
                        v = Math.min(iu.high(), Math.max(iu.low(), Math.round(v))); // the value the trial runs
                    }
                    x[j] = v;
                }
            }
            return x;
        }

        /** log of the mixture density (probability mass for integer and categorical dimensions) at {@code x}. */
        double logPdf(double[] x) {
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[components];
            for (int k = 0; k < components; k++) {
                double t = logWeights[k];
                for (int j = 0; j < x.length && t > Double.NEGATIVE_INFINITY; j++) {
                    if (kinds[j] == CONTINUOUS) {
                        double z = (x[j] - mus[j][k]) * inverseSigmas[j][k];
                        t += logNorm[j][k] - 0.5 * z * z;
                    } else if (kinds[j] == CATEGORICAL) {
                        t += Math.log(probabilities[j][k][(int) x[j]]);
                    } else {
                        double lo = Math.max(low[j], x[j] - 0.5);
                        double hi = Math.min(high[j], x[j] + 0.5);
                        t += Normal.logMass((lo - mus[j][k]) / sigmas[j][k], (hi - mus[j][k]) / sigmas[j][k])
                                - logMass[j][k];
                    }
                }
                terms[k] = t;
                max = Math.max(max, t);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double s = 0;
            for (double t : terms) {
                s += Math.exp(t - max);
            }
            return max + Math.log(s);
        }
    }
}
