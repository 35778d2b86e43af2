package vap.sinks.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.sinks.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes the rows older than the {@link RowRetention}: strangers' faces after {@code sinks.retention.strangers},
 * watchlisted people's after {@code sinks.retention.matched}. Each transaction deletes at most
 * {@code batch.size} rows it could lock at once ({@code skip locked}), so the writers never wait behind it and two
 * sinks replicas expiring together share the rows instead of queueing on them. Counted in
 * {@code vap_sinks_rows_expired_total{table,kind}}.
 */
public final class RowExpiry {
    private static final Logger log = LoggerFactory.getLogger(RowExpiry.class);

    /** Whose rows a rule expires. */
    public enum Kind { STRANGER, MATCHED }

    /** One table's expired rows of one kind: which rows, by which time, and the key that names a row. */
    record Rule(String table, Kind kind, String key, String where, String time) {
        String sql() {
            return "delete from " + table + " where (" + key + ") in (select " + key + " from " + table + " where "
                    + where + " and " + time + " < ? limit ? for update skip locked)";
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("sightings", Kind.STRANGER, "camera_id, frame_sequence, face_index", "not matched", "captured_at"),
            new Rule("appearances", Kind.STRANGER, "track_id", "identity_id is null", "last_seen_at"),
            new Rule("sightings", Kind.MATCHED, "camera_id, frame_sequence, face_index", "matched", "captured_at"),
            new Rule("matches", Kind.MATCHED, "camera_id, frame_sequence, face_index", "true", "captured_at"),
            new Rule("alerts", Kind.MATCHED, "alert_id", "true", "captured_at"),
            new Rule("appearances", Kind.MATCHED, "track_id", "identity_id is not null", "last_seen_at"));

    private final Database db;
    private final RowRetention retention;
    private final Clock clock;
    private final MeterRegistry metrics;

    public RowExpiry(Database db, RowRetention retention, Clock clock, MeterRegistry metrics) {
        this.db = db;
        this.retention = retention;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * One pass: every rule's expired rows, batch after batch until none is left.
     *
     * @return rows deleted per "table kind" (only those with a retention)
     */
    public Map<String, Long> expireNow() throws SQLException {
        Instant now = clock.instant();
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                // A batch that would wait for a lock gives up instead; the next pass takes the rows.
                st.execute("set lock_timeout = '5s'");
            }
            c.commit();
            for (Rule rule : RULES) {
                Duration keep = rule.kind() == Kind.STRANGER ? retention.strangers() : retention.matched();
                if (keep.isZero()) {
                    continue;
                }
                long total = expire(c, rule, Timestamp.from(now.minus(keep)));
                deleted.put(rule.table() + " " + rule.kind().name().toLowerCase(), total);
            }
        }
        long sum = deleted.values().stream().mapToLong(Long::longValue).sum();
        if (sum > 0) {
            log.info("retention: deleted {} expired row(s) {}", sum, deleted);
        }
        return deleted;
    }

    private long expire(Connection c, Rule rule, Timestamp cutOff) throws SQLException {
        Counter counter = Counter.builder("vap.sinks.rows.expired").description("rows deleted by sinks.retention.*")
                .tag("table", rule.table()).tag("kind", rule.kind().name().toLowerCase()).register(metrics);
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(rule.sql())) {
            while (true) {
                ps.setTimestamp(1, cutOff);
                ps.setInt(2, retention.batchSize());
                int n = ps.executeUpdate();
                c.commit();
                total += n;
                counter.increment(n);
                if (n < retention.batchSize()) {
                    return total;
                }
            }
        }
    }
}
