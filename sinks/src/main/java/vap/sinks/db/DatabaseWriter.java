package vap.sinks.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.worker.RootCause;
import vap.core.worker.BatchProcessor;
import vap.core.worker.Incoming;
import vap.core.worker.Outbox;
import vap.core.worker.RetryLaterException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a batch of records in one transaction. The worker commits Kafka offsets only after this returns, so
 * a crash between the two replays the batch, and the idempotent INSERTs make the replay change nothing.
 * When the database is away, read-only or refusing us ({@link SqlFailure}) the batch is retried later (never
 * dead-lettered, offsets not committed); only rows it refuses as data are dead-lettered. One connection per worker
 * thread, reopened after a failure.
 */
public final class DatabaseWriter<T> implements BatchProcessor<T>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseWriter.class);

    private final Database database;
    private final TableWriter<T> table;
    private Connection connection;

    public DatabaseWriter(Database database, TableWriter<T> table) {
        this.database = database;
        this.table = table;
    }

    @Override
    public void process(List<Incoming<T>> batch, Outbox out) throws Exception {
        try {
            if (connection == null || connection.isClosed()) {
                connection = database.connect();
            }
            try (PreparedStatement ps = connection.prepareStatement(table.insertSql())) {
                for (Incoming<T> in : batch) {
                    table.bind(ps, in.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            closeQuietly();
            if (SqlFailure.isOutage(e)) {
                // Not the rows' fault (down, read-only, credentials, grants, conflicts): wait, never dead-letter.
                throw new RetryLaterException("database " + database.maskedUrl() + " unavailable (SQLSTATE "
                        + e.getSQLState() + ": " + vap.core.kafka.UrlMasking.maskJdbc(RootCause.of(e).getMessage()) + ")", e);
            }
            throw e; // a row the database refuses as data: the worker isolates it and dead-letters it
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a broken connection: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
