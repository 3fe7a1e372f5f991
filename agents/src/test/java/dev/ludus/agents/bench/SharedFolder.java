package dev.ludus.agents.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workplace's shared folder beside the repository ({@code ../shared}: the benchmarks' peers, reference
 * recordings). {@code $LUDUS_SHARED} names it outright; otherwise it is {@code ../shared} seen from the working
 * directory or from any folder above it, so a git worktree (a level or two deeper than the main checkout) finds it
 * too.
 */
public final class SharedFolder {

    /** The environment variable that names the shared folder when it is not beside the repository. */
    public static final String ENV = "LUDUS_SHARED";

    private SharedFolder() {
    }

    /**
     * The file {@code relative} (e.g. {@code peers/torch_dqn_cartpole.py}) in the shared folder, if it is there;
     * otherwise where it was looked for first, so that a message can name it.
     */
    public static Path file(String relative) {
        String named = System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            return Path.of(named).resolve(relative).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared").resolve(relative).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return here.resolve("../shared").resolve(relative).normalize();
    }
}
