package org.syncproducts;

/**
 * An expected failure that ends a command with a specific exit code and one clear line for the
 * operator. The message says what happened and, where possible, what to do.
 */
public class SyncProductsException extends RuntimeException {
    private final int exitCode;

    public SyncProductsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SyncProductsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Configuration is wrong or incomplete (exit 78). */
    public static SyncProductsException config(String message) {
        return new SyncProductsException(ExitCode.CONFIG, message);
    }

    /** The input is not in the declared format (exit 65). */
    public static SyncProductsException badInput(String message) {
        return new SyncProductsException(ExitCode.DATA_ERROR, message);
    }

    /** The database or every source cannot be reached (exit 69). */
    public static SyncProductsException unavailable(String message, Throwable cause) {
        return new SyncProductsException(ExitCode.UNAVAILABLE, message, cause);
    }
}
