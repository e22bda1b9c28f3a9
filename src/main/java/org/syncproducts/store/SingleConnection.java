package org.syncproducts.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jdbi's connections for a run that uses one at a time: a single connection, opened by the
 * constructor (so an unreachable server fails the run at once, as the pool's start does) and kept
 * until {@link #close()}; each handle borrows it and gives it back. A handle opened while it is
 * lent (only another thread's) gets a connection of its own, closed with that handle.
 */
final class SingleConnection implements ConnectionFactory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingleConnection.class);

    private final String url;
    private final Properties properties;
    private final Connection kept;
    private boolean lent;

    /** Connects to {@code url} with {@code properties} (credentials and driver settings). */
    SingleConnection(String url, Properties properties) throws SQLException {
        this.url = url;
        this.properties = properties;
        this.kept = DriverManager.getConnection(url, properties);
    }

    @Override
    public synchronized Connection openConnection() throws SQLException {
        if (lent) {
            return DriverManager.getConnection(url, properties);
        }
        lent = true;
        return kept;
    }

    @Override
    public synchronized void closeConnection(Connection connection) throws SQLException {
        if (connection == kept) {
            lent = false;
        } else {
            connection.close();
        }
    }

    /** Closes the kept connection. */
    @Override
    public synchronized void close() {
        try {
            kept.close();
        } catch (SQLException e) {
            // The end of a run: a server already gone leaves nothing to close.
            LOG.debug("closing the database connection failed", e);
        }
    }
}
