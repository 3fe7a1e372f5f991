package dev.ludus.platform.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Locale;

/** Numbers and names as the CLI prints them: the dashboard's rules, so both read the same. */
final class Format {
    private Format() {
    }

    /**
     * Whole numbers below 10 million exactly ({@code 50000}, not {@code 5.000e+04}); others with 4
     * significant digits ({@code 0.0291}, {@code 1235}); an exponent only below 0.001 or from 10
     * million ({@code 1.235e-04}); "-" for a missing or non-finite value.
     */
    static String num(Object value) {
        if (!(value instanceof Number n)) {
            return value == null ? "-" : String.valueOf(value);
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e7) {
            return Long.toString((long) v);
        }
        if (a < 1e-3 || a >= 1e7) {
            return String.format(Locale.ROOT, "%.3e", v).replaceFirst("\\.?0+e", "e");
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The closest of {@code names} to {@code name} when near enough to be a typo, else null. */
    static String closest(String name, Collection<String> names) {
        return dev.ludus.envs.Names.closest(name, names);
    }
}
