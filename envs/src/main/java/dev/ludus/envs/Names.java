package dev.ludus.envs;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for names a user typed: env ids, agent params, metric keys. */
public final class Names {

    private Names() {
    }

    /**
     * The candidate with the smallest case-insensitive edit distance to {@code name}, or null when none is within
     * {@code max(2, length / 3)} edits (a suggestion further off confuses more than it helps).
     */
    public static String closest(String name, Collection<String> candidates) {
        if (name == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
