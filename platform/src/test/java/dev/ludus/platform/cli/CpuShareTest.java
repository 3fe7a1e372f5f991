package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.run.Cores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --cpus N} of {@code ludus worker} and {@code ludus serve}: checked, named when wrong, and it sizes the process. */
class CpuShareTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        Cores.clearShare();
    }

    @Test
    void aShareBelowOneOrNotANumberIsRefusedNamingTheOption() {
        for (String bad : new String[] {"0", "-1"}) {
            Cli.Result worker = Cli.run("worker", "--join", "127.0.0.1:5701", "--token", "t", "--cpus", bad)
                    .assertNoStackTrace();
            assertEquals(ExitCodes.USAGE, worker.code(), worker.toString());
            assertTrue(worker.err().contains("--cpus: must be >= 1"), worker.toString());
            Cli.Result serve = Cli.run("serve", "--data", dir.resolve("data").toString(), "--port", "0", "--cpus", bad)
                    .assertNoStackTrace();
            assertEquals(ExitCodes.USAGE, serve.code(), serve.toString());
            assertTrue(serve.err().contains("--cpus: must be >= 1"), serve.toString());
        }
        Cli.Result word = Cli.run("worker", "--join", "127.0.0.1:5701", "--token", "t", "--cpus", "two").assertNoStackTrace();
        assertEquals(ExitCodes.USAGE, word.code(), word.toString());
        assertTrue(word.err().contains("--cpus"), word.toString());
        assertEquals(Runtime.getRuntime().availableProcessors(), Cores.available(), "nothing was set");
    }

    @Test
    void theShareSizesTheProcessAndTheDefaultRunners() {
        Main.ServerOptions options = new Main.ServerOptions();
        new CommandLine(options).parseArgs("--cpus", "1");
        PlatformConfig config = options.apply(PlatformConfig.defaults());
        assertEquals(1, Cores.available(), "every pool Ludus sizes by itself reads the share");
        assertEquals(1, config.runners(), "--runners defaults to --cpus");

        Main.ServerOptions explicit = new Main.ServerOptions();
        new CommandLine(explicit).parseArgs("--cpus", "1", "--runners", "3");
        assertEquals(3, explicit.apply(PlatformConfig.defaults()).runners(), "an explicit --runners wins");

        Cores.clearShare();
        Main.ServerOptions none = new Main.ServerOptions();
        new CommandLine(none).parseArgs();
        assertEquals(Runtime.getRuntime().availableProcessors(), none.apply(PlatformConfig.defaults()).runners(),
                "without --cpus: one runner per core, as before");
    }

    @Test
    void theHelpSaysWhatTheOptionDoes() {
        for (String command : new String[] {"worker", "serve"}) {
            Cli.Result help = Cli.run(command, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().contains("--cpus=N"), help.out());
            assertTrue(help.out().contains("ActiveProcessorCount") || help.out().contains("GC and JIT"), help.out());
        }
    }
}
