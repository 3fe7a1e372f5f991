package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in this JVM (as {@code ./ludus} would, minus System.exit), or in a child JVM. */
final class Cli {
    private Cli() {
    }

    /** What a command printed and returned. */
    record Result(int code, String out, String err) {
        /** A user error: one {@code ludus:} line, no stack trace. */
        Result assertNoStackTrace() {
            assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("at dev.ludus"),
                    () -> "a stack trace on stderr:\n" + err);
            return this;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static synchronized Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Starts {@code mainClass args} in a child JVM on the test classpath, stdout and stderr to files in {@code logs}. */
    static Process child(Path logs, String name, Class<?> mainClass, String... args) throws IOException {
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile()).start();
    }

    static String log(Path logs, String name) {
        try {
            return Files.readString(logs.resolve(name + ".out")) + Files.readString(logs.resolve(name + ".err"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops a child as Ctrl-C would (SIGTERM runs the same shutdown hooks; SIGINT may be ignored in a background job). */
    static int terminate(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not stop within 60 s of SIGTERM");
        }
        return p.exitValue();
    }
}
