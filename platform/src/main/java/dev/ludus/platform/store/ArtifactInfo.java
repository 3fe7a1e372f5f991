package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;

/** A stored artifact of a run, without its content: {@code sha256} is the content's SHA-256 in lower-case hex. */
public record ArtifactInfo(String name, long size, String sha256, long createdAt) {

    /** Longest artifact name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    /**
     * What is wrong with {@code name} as an artifact name, or null: 1 to {@value #MAX_NAME_LENGTH} characters of
     * {@code A-Z a-z 0-9 . _ -}, not starting with a dot. One flat name per artifact: no folders, so no
     * {@code ../}, absolute path, backslash or control character can reach a file system or a header.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "name: an artifact name is required";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "name: at most " + MAX_NAME_LENGTH + " characters, got " + name.length();
        }
        if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            return "name: '" + name.replaceAll("[^\\x20-\\x7e]", "?") + "' is not an artifact name; use letters, digits, "
                    + "'.', '_' and '-' (no folders), not starting with '.', e.g. model.onnx";
        }
        return null;
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 256 MiB}, {@code 1 GiB}: 3 significant digits, binary units. */
    public static String humanSize(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String digits = u == 0 ? String.valueOf(bytes) : new java.math.BigDecimal(v).round(new java.math.MathContext(3))
                .stripTrailingZeros().toPlainString();
        return digits + " " + units[u];
    }

    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("size", size).put("sha256", sha256).put("createdAt", createdAt);
    }
}
