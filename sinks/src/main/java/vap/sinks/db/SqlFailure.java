package vap.sinks.db;

import java.sql.SQLException;

/**
 * Whether a database failure is the rows' fault (dead-letter them) or the database's (wait and retry, commit
 * nothing), decided by SQLSTATE. Only data exceptions (22) and integrity violations other than a unique conflict
 * (23, not 23505) are the rows' fault; everything else (connection loss, shutdown, resources, a failover's
 * read-only standby, serialization failures and deadlocks, rotated credentials, a revoked grant, a missing table)
 * is an outage an operator or the database itself will end.
 */
public final class SqlFailure {
    private SqlFailure() {
    }

    /** True when the rows themselves are bad: retrying cannot help, so they go to the dead-letter topic. */
    public static boolean isBadData(SQLException e) {
        String state = firstState(e);
        if (state == null) {
            return false; // no SQLSTATE: a driver or network failure, not the data
        }
        return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505"));
    }

    /** Outage: everything that is not bad data (see the class comment). */
    public static boolean isOutage(SQLException e) {
        return !isBadData(e);
    }

    private static String firstState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null) {
                    return s.getSQLState();
                }
                SQLException next = s.getNextException(); // batch failures carry the server's error here
                if (next != null && next.getSQLState() != null) {
                    return next.getSQLState();
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
