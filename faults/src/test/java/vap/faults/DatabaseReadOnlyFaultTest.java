package vap.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL made read-only as a failover leaves it (SQL state 25006 for every write) and read-write again while
 * the whole pipeline runs: the sinks wait and retry, nothing is dead-lettered or committed unwritten.
 */
class DatabaseReadOnlyFaultTest {
    @RegisterExtension
    static final FaultRun run = new FaultRun();

    @Test
    void aDatabaseReadOnlyForAWhileLosesNothingAndWritesNothingTwice() throws Exception {
        // Opened before the switch, this session stays read-write: it can switch the database back.
        try (Connection admin = run.stack().database(); Statement st = admin.createStatement()) {
            run.pipeline().startAll();
            Thread.sleep(8_000);
            System.out.println("fault: database read-only at " + java.time.Instant.now());
            st.execute("alter database postgres set default_transaction_read_only = on");
            terminateOthers(st);
            Thread.sleep(2_000);
            long before = sightings(st);
            Thread.sleep(8_000);
            long during = sightings(st);
            System.out.println("fault: database read-write at " + java.time.Instant.now() + "; sightings while read-only "
                    + before + " -> " + during);
            assertEquals(before, during, "nothing written while the database was read-only: the fault was real");
            st.execute("alter database postgres reset default_transaction_read_only");
            terminateOthers(st);
            Thread.sleep(8_000);
            run.pipeline().stopCameraAndDrain();
        }
        run.tally("database read-only").assertNothingLostNothingTwice(30);
    }

    /** New sessions get the database's new default; the sinks' pooled ones are cut so that they reconnect. */
    private static void terminateOthers(Statement st) throws SQLException {
        st.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() "
                + "and datname = current_database()");
    }

    private static long sightings(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("select count(*) from sightings")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
