package dev.ludus.envs.toytext;

final class TabularChecks {
    private TabularChecks() {}

    static void check(int value, int n, String what) {
        if (value < 0 || value >= n) {
            throw new IllegalArgumentException(what + " " + value + " is out of range [0, " + n + ")");
        }
    }
}
