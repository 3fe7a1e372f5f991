package dev.ludus.platform.cli;

/**
 * A failure the command reports as one line {@code ludus: <message>}, never as a stack trace, exiting with
 * {@link #exitCode()}: {@link ExitCodes#USAGE} for what the user can fix (a bad option, a busy port, a
 * missing folder), {@link ExitCodes#SERVER} when the server it talks to fails it.
 */
class CliError extends RuntimeException {
    private final int exitCode;

    CliError(String message) {
        this(ExitCodes.USAGE, message);
    }

    CliError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
