package dev.ludus.platform.store;

/** A database failure (not the caller's fault). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
