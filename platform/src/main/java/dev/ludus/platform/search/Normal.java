package dev.ludus.platform.search;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal pieces a truncated Gaussian kernel needs, computed in log space where the tails would
 * underflow (as Optuna's {@code _truncnorm}): log Φ, the log of the mass between two points, and inverse-CDF
 * sampling between them.
 *
 * <p>Φ uses the Chebyshev-fitted erfc of Press et al., <i>Numerical Recipes</i> §6.2 (relative error below 1.2e-7 for
 * every x, tails included): commons-math's {@code Erf.erfc} goes through the incomplete gamma function and took
 * most of a suggestion's time (a model over 1,000 trials needs 12,000 of them), and densities that only rank
 * candidates need no more digits.
 */
final class Normal {

    private static final double SQRT2 = Math.sqrt(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private Normal() {
    }

    /** Φ(x). */
    static double cdf(double x) {
        return 0.5 * erfc(-x / SQRT2);
    }

    /** erfc(x), relative error below 1.2e-7. */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** log Φ(x), by the asymptotic series below -20 where Φ underflows. */
    static double logCdf(double x) {
        if (x > 6) {
            return -cdf(-x); // log(1 - ε) = -ε to double precision
        }
        if (x > -20) {
            return Math.log(cdf(x));
        }
        double logLhs = -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI;
        double total = 1;
        double last = 0;
        double numerator = 1;
        double denominator = 1;
        double inverseSquare = 1 / (x * x);
        int sign = 1;
        for (int i = 1; Math.abs(last - total) > Math.ulp(1.0) && i < 50; i++) {
            last = total;
            sign = -sign;
            denominator *= inverseSquare;
            numerator *= 2 * i - 1;
            total += sign * numerator * denominator;
        }
        return logLhs + Math.log(total);
    }

    /** log(Φ(b) - Φ(a)) for a <= b. */
    static double logMass(double a, double b) {
        if (b <= 0) {
            double lb = logCdf(b);
            return lb + Math.log1p(-Math.exp(logCdf(a) - lb));
        }
        if (a > 0) {
            return logMass(-b, -a);
        }
        // beyond 8.3 standard deviations a tail is below half an ulp of 1: no erfc needed
        return Math.log1p(-(a < -8.3 ? 0 : cdf(a)) - (b > 8.3 ? 0 : cdf(-b)));
    }

    /** The {@code q}-quantile (0 <= q < 1) of the standard normal truncated to [a, b]. */
    static double truncatedSample(double a, double b, double q) {
        if (a >= 0) {
            return -truncatedSample(-b, -a, 1 - q);
        }
        // log Φ(x) = log(Φ(a) + q (Φ(b) - Φ(a)))
        double logCdfX = logSum(logCdf(a), Math.log(q) + logMass(a, b));
        double x = inverseLogCdf(logCdfX);
        return Math.min(b, Math.max(a, x));
    }

    private static double logSum(double p, double q) {
        double max = Math.max(p, q);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + Math.log(Math.exp(p - max) + Math.exp(q - max));
    }

    /**
     * x with log Φ(x) = {@code logP}: erfc⁻¹ where it is accurate (commons-math computes erfc⁻¹(y) as erf⁻¹(1 - y),
     * which loses the digits of a tiny y), bisection on log Φ in the tail.
     */
    private static double inverseLogCdf(double logP) {
        if (logP > -18) {
            double p = Math.exp(logP);
            if (p >= 1) {
                return Double.POSITIVE_INFINITY;
            }
            return -SQRT2 * Erf.erfcInv(2 * p);
        }
        double lo = -100;
        double hi = -5;
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (logCdf(mid) < logP) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
