package org.syncproducts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void aConnectionTheServerEndedIsALostDatabaseNotAnInternalError() {
        // pg_terminate_backend during a COPY reaches the writer as 57P01 or as 08006, depending on
        // which statement the termination interrupts: both are 69 (DatabaseLossTest runs it for real).
        assertEquals(ExitCode.UNAVAILABLE, ExitCode.of(new IllegalStateException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))));
        assertEquals(ExitCode.UNAVAILABLE, ExitCode.of(new SQLException("An I/O error occurred", "08006")));
        assertEquals(ExitCode.UNAVAILABLE, ExitCode.of(new SQLException("the database system is shutting down", "57P03")));
        assertEquals(ExitCode.INTERNAL, ExitCode.of(new SQLException("duplicate key value", "23505")));
        assertEquals(ExitCode.INTERNAL, ExitCode.of(new IllegalStateException("a bug")));
    }
}
