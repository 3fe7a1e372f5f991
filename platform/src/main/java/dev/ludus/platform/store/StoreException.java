package dev.ludus.platform.store;

/** A database failure (not the caller's fault). */
public final class StoreException extends RuntimeException {
    private final boolean closed;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean closed) {
        super(message, cause);
        this.closed = closed;
    }

    /** A call that came after the store closed: the server is stopping, nothing failed. */
    static StoreException closed(Throwable cause) {
        return new StoreException("the run store is closed", cause, true);
    }

    /** Whether the store was closed under the call (the HTTP API answers 503 "the server is stopping"). */
    public boolean closed() {
        return closed;
    }
}
