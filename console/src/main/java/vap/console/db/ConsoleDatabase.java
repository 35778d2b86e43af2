package vap.console.db;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The console's side of PostgreSQL: its own migrations (classpath db/console, history table
 * console_schema_history) beside the sinks' tables it reads, and the acknowledgements and audit rows it writes.
 */
public final class ConsoleDatabase {
    /** Who acknowledged an alert and when. */
    public record Ack(String by, Instant at) {
    }

    private final String url;
    private final String user;
    private final String password;

    public ConsoleDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public int migrate() {
        return Flyway.configure().dataSource(url, user, password).locations("classpath:db/console")
                .table("console_schema_history").baselineOnMigrate(true).baselineVersion("0")
                .load().migrate().migrationsExecuted;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Records the acknowledgement; false when someone had already acknowledged the alert. */
    public boolean acknowledge(String alertId, String by) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "insert into console_alert_acks (alert_id, acknowledged_by) values (?, ?) on conflict do nothing")) {
            ps.setString(1, alertId);
            ps.setString(2, by);
            return ps.executeUpdate() == 1;
        }
    }

    public Map<String, Ack> acks(Set<String> alertIds) throws SQLException {
        Map<String, Ack> out = new HashMap<>();
        if (alertIds.isEmpty()) {
            return out;
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select alert_id, acknowledged_by, acknowledged_at from console_alert_acks where alert_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", alertIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Ack(rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return out;
    }

    /** One change made through the console. */
    public record AuditEntry(Instant at, String username, String action, String subject, String detail) {
    }

    public java.util.List<AuditEntry> recentAudit(int limit) throws SQLException {
        java.util.List<AuditEntry> out = new java.util.ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select at, username, action, subject, detail from console_audit order by at desc, id desc limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** Records that the face {@code faceKey} is not {@code identityId}; false when already recorded. */
    public boolean notThisPerson(String faceKey, String identityId, String cameraId, String by) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("insert into console_feedback"
                + " (face_key, identity_id, camera_id, marked_by) values (?, ?, ?, ?) on conflict do nothing")) {
            ps.setString(1, faceKey);
            ps.setString(2, identityId);
            ps.setString(3, cameraId);
            ps.setString(4, by);
            return ps.executeUpdate() == 1;
        }
    }

    /** Who marked which of these faces "not this person" (face key to user). */
    public Map<String, String> notThisPersonMarks(Set<String> faceKeys) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (faceKeys.isEmpty()) {
            return out;
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select face_key, marked_by from console_feedback where face_key = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", faceKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    public void audit(String username, String action, String subject, String detail) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "insert into console_audit (username, action, subject, detail) values (?, ?, ?, ?)")) {
            ps.setString(1, username);
            ps.setString(2, action);
            ps.setString(3, subject);
            ps.setString(4, detail);
            ps.executeUpdate();
        }
    }
}
