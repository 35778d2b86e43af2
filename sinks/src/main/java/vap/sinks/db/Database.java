package vap.sinks.db;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The sightings database: its schema comes only from the versioned migrations in db/migration. */
public final class Database {
    private final String url;
    private final String user;
    private final String password;

    public Database(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Brings the schema up to the newest migration; safe to run from every replica at start-up. */
    public int migrate() {
        return Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                .load().migrate().migrationsExecuted;
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(false);
        return c;
    }

    public String url() {
        return url;
    }

    /** The URL as it may be logged: user info and a password parameter masked. */
    public String maskedUrl() {
        return vap.core.kafka.UrlMasking.maskJdbc(url);
    }

    /** Anything but bad rows: the database is away, read-only, refusing us or busy; the records are fine. */
    public static boolean isOutage(SQLException e) {
        return SqlFailure.isOutage(e);
    }
}
