package dev.ludus.platform.cli;

/** The CLI's exit codes (README, section CLI). */
final class ExitCodes {
    /** Done; for {@code sweep}, every run ended without error. */
    static final int OK = 0;
    /** {@code sweep}: the sweep ended but at least one run failed. */
    static final int RUNS_FAILED = 1;
    /** A user error: bad option or argument, invalid sweep file, port or database in use, unknown id, unwritable output. */
    static final int USAGE = 2;
    /** The server stopped answering while the command used it, or an unexpected internal error. */
    static final int SERVER = 3;

    private ExitCodes() {
    }
}
