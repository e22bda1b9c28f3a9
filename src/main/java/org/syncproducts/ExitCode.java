package org.syncproducts;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;

/**
 * The process exit codes of SPEC §9. Commands return one of these; only {@link Main} exits.
 */
public final class ExitCode {
    /** Success; healthy; verify clean. */
    public static final int OK = 0;
    /** Job failed or item failures over tolerance. */
    public static final int FAILURE = 1;
    /** Usage error: bad flag or argument. */
    public static final int USAGE = 64;
    /** Input data unusable: file not in the declared format, header missing mapped columns. */
    public static final int DATA_ERROR = 65;
    /** Database or every source unavailable. */
    public static final int UNAVAILABLE = 69;
    /** Internal error (a bug): details with -v. */
    public static final int INTERNAL = 70;
    /** Temporary: another sync holds the lock; try again later. */
    public static final int TEMPORARY = 75;
    /** Configuration error. */
    public static final int CONFIG = 78;
    /** Stopped by SIGINT (Ctrl-C). */
    public static final int SIGINT = 130;
    /** Stopped by SIGTERM. */
    public static final int SIGTERM = 143;

    private ExitCode() {
    }

    /**
     * The exit code a failure calls for: its own when it carries one, 69 for a lost database (a
     * connection exception, SQLSTATE class 08, or 57P: the server ended the connection, as
     * {@code pg_terminate_backend} or a shutdown does), else 70.
     */
    public static int of(Throwable exception) {
        if (exception instanceof SyncProductsException known) {
            return known.exitCode();
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionException) {
                return UNAVAILABLE;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return UNAVAILABLE;
            }
        }
        return INTERNAL;
    }
}
