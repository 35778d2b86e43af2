package vap.sinks.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How one record type becomes one row: an idempotent INSERT and the binding of its parameters. */
public interface TableWriter<T> {
    /** An INSERT ... ON CONFLICT DO NOTHING (or an upsert that keeps the newer row), so a replayed record changes nothing. */
    String insertSql();

    void bind(PreparedStatement ps, T record) throws SQLException;
}
