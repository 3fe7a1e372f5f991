package dev.ludus.platform.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves the dataset paths a request names inside the configured dataset folders only. A path is
 * canonicalised (symbolic links followed) before it is checked, so a link pointing out of a folder is
 * refused like the path it points to. A path lexically outside every folder is refused without touching
 * the file system, so answers never tell which files exist elsewhere; and no message quotes a file.
 */
public final class DatasetRoots {

    private final List<Path> roots;

    /** @param roots folders in lookup order (relative ones against the working directory); missing ones are skipped */
    public DatasetRoots(List<Path> roots) {
        this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The real path of {@code requested} (absolute, or relative to one of the folders, tried in order).
     *
     * @param field     the request field, for messages ({@code task.dataset})
     * @param directory whether a directory (else a regular file) is expected
     * @throws IllegalArgumentException naming {@code field} when the path is outside the folders, missing or
     *                                  of the wrong kind
     */
    public Path resolve(String field, String requested, boolean directory) {
        Path path;
        try {
            path = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(field + ": not a valid path: '" + printable(requested) + "'");
        }
        Optional<Path> found = Optional.empty();
        if (path.isAbsolute()) {
            Path p = path.normalize();
            if (roots.stream().noneMatch(p::startsWith) && realRoots().stream().noneMatch(p::startsWith)) {
                throw outside(field, requested);
            }
            found = Optional.of(p).filter(Files::exists);
        } else {
            for (Path root : roots) {
                Path candidate = root.resolve(path).normalize();
                if (!candidate.startsWith(root)) {
                    throw outside(field, requested); // ../ climbing out of the folder
                }
                if (Files.exists(candidate)) {
                    found = Optional.of(candidate);
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(field + ": '" + printable(requested) + "' is not in the dataset folders "
                    + describeRoots());
        }
        Path real;
        try {
            real = found.get().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(field + ": '" + printable(requested) + "' cannot be read");
        }
        if (realRoots().stream().noneMatch(real::startsWith)) {
            throw outside(field, requested); // a symbolic link out of the folders
        }
        if (directory ? !Files.isDirectory(real) : !Files.isRegularFile(real)) {
            throw new IllegalArgumentException(field + ": '" + printable(requested) + "' is not a "
                    + (directory ? "directory" : "regular file"));
        }
        return real;
    }

    /** Whether {@code file} (which exists) really lies inside a folder once links are followed. */
    public boolean contains(Path file) {
        try {
            Path real = file.toRealPath();
            return realRoots().stream().anyMatch(real::startsWith);
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> realRoots() {
        return roots.stream().filter(Files::isDirectory).map(r -> {
            try {
                return r.toRealPath();
            } catch (IOException e) {
                return null;
            }
        }).filter(r -> r != null).toList();
    }

    private IllegalArgumentException outside(String field, String requested) {
        return new IllegalArgumentException(field + ": '" + printable(requested) + "' is outside the dataset folders "
                + describeRoots() + "; put the file in one of them or start the server with --datasets DIR");
    }

    private String describeRoots() {
        return roots.stream().map(Path::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The request's own text, cut short and without control characters. */
    static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
