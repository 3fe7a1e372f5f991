package dev.ludus.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the server lets a request reach, besides the token (docs/api.md, "Threat model").
 *
 * @param allowedHosts extra names a request's {@code Host} header may carry (besides the bound address and
 *                     {@code localhost}), e.g. the machine's DNS name when serving a LAN; lower case
 * @param corsOrigins  origins (scheme://host[:port]) whose pages may call the API from a browser (CORS); empty =
 *                     none, so only the dashboard's own origin can
 * @param datasetRoots the only folders a task's dataset paths may point into (after resolving symlinks); a
 *                     relative dataset path is looked up in each, in order
 * @param maxArtifactBytes the largest artifact a tracked run may upload ({@code PUT /api/runs/:id/artifacts/:name});
 *                     larger ones get 413 naming this limit
 */
public record ServerPolicy(List<String> allowedHosts, List<String> corsOrigins, List<Path> datasetRoots,
                           long maxArtifactBytes) {

    /** Default upload limit for one artifact: 1 GiB. */
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 1L << 30;

    /** Debian's dataset packages (dataset-fashion-mnist, ...) install here; always a dataset root. */
    public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    public ServerPolicy {
        allowedHosts = allowedHosts.stream().map(h -> checkHost(Objects.requireNonNull(h, "allowedHosts")))
                .toList();
        corsOrigins = corsOrigins.stream().map(ServerPolicy::checkOrigin).toList();
        datasetRoots = List.copyOf(datasetRoots);
        if (maxArtifactBytes < 1) {
            throw new IllegalArgumentException("max artifact size: must be at least 1 byte, got " + maxArtifactBytes);
        }
    }

    /** With the default artifact limit ({@link #DEFAULT_MAX_ARTIFACT_BYTES}). */
    public ServerPolicy(List<String> allowedHosts, List<String> corsOrigins, List<Path> datasetRoots) {
        this(allowedHosts, corsOrigins, datasetRoots, DEFAULT_MAX_ARTIFACT_BYTES);
    }

    /** No extra host names, no CORS, datasets from {@code ./datasets} and {@link #DEBIAN_DATASETS}. */
    public static ServerPolicy defaults() {
        return new ServerPolicy(List.of(), List.of(), withDebianDatasets(List.of(Path.of("datasets"))));
    }

    /** {@code folders} followed by {@link #DEBIAN_DATASETS} (once). */
    public static List<Path> withDebianDatasets(List<Path> folders) {
        List<Path> roots = new ArrayList<>(folders);
        if (!roots.contains(DEBIAN_DATASETS)) {
            roots.add(DEBIAN_DATASETS);
        }
        return roots;
    }

    public ServerPolicy withDatasetRoots(List<Path> v) {
        return new ServerPolicy(allowedHosts, corsOrigins, v, maxArtifactBytes);
    }

    public ServerPolicy withMaxArtifactBytes(long v) {
        return new ServerPolicy(allowedHosts, corsOrigins, datasetRoots, v);
    }

    private static String checkHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty() || !h.matches("[a-z0-9.:\\[\\]_-]+")) {
            throw new IllegalArgumentException("allowed host: must be a host name or address, got '" + host + "'");
        }
        return h;
    }

    private static String checkOrigin(String origin) {
        String o = Objects.requireNonNull(origin, "corsOrigins").trim().toLowerCase(Locale.ROOT);
        if (!o.matches("https?://[a-z0-9.\\[\\]:_-]+")) {
            throw new IllegalArgumentException("CORS origin: must be scheme://host[:port] with no path, got '" + origin + "'");
        }
        return o;
    }
}
