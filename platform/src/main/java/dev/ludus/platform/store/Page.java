package dev.ludus.platform.store;

/** Which slice of a search's ordered results to return. */
public record Page(int offset, int limit) {

    public static final int MAX_LIMIT = 100_000;
    public static final Page ALL = new Page(0, MAX_LIMIT);

    public Page {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: must be >= 0, got " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be in 1.." + MAX_LIMIT + ", got " + limit);
        }
    }
}
