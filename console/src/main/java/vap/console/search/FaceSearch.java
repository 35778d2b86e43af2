package vap.console.search;

import vap.messages.CropLocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's search over past faces: by camera, person, time range and matched/unknown, newest first. Every
 * filter is a bound parameter; each combination is answered by one of the sinks' indexes (camera+time,
 * identity+time where matched, time), which {@code vap console bench} shows with EXPLAIN.
 */
public final class FaceSearch {
    /** matched: only faces that matched someone; unknown: only faces that matched nobody. */
    public enum Status { ALL, MATCHED, UNKNOWN }

    /** What the analyst asked for; null fields do not filter. */
    public record Filter(String camera, String person, Instant from, Instant to, Status status, int limit) {
        public Filter {
            camera = blankToNull(camera);
            person = blankToNull(person);
            status = status == null ? Status.ALL : status;
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1..1000");
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /** One face found. */
    public record Row(String key, String camera, Instant at, boolean matched, String identity, Float score, float age,
                      CropLocation crop) {
    }

    /** The SQL and its parameters, kept together so the benchmark can EXPLAIN exactly what the page runs. */
    public record Query(String sql, List<Object> params) {
        public PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Instant t) {
                    ps.setTimestamp(i + 1, Timestamp.from(t));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        }
    }

    private final FaceTable t;

    public FaceSearch(FaceTable table) {
        this.t = table;
    }

    public FaceTable table() {
        return t;
    }

    public Query query(Filter f) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (f.camera() != null) {
            where.append(" and ").append(t.camera()).append(" = ?");
            params.add(f.camera());
        }
        if (f.person() != null) {
            // "and matched" lets PostgreSQL use the partial identity index.
            where.append(" and ").append(t.identity()).append(" = ? and ").append(t.matched());
            params.add(f.person());
        }
        if (f.from() != null) {
            where.append(" and ").append(t.time()).append(" >= ?");
            params.add(f.from());
        }
        if (f.to() != null) {
            where.append(" and ").append(t.time()).append(" < ?");
            params.add(f.to());
        }
        if (f.status() == Status.MATCHED && f.person() == null) {
            where.append(" and ").append(t.matched());
        } else if (f.status() == Status.UNKNOWN) {
            where.append(" and not ").append(t.matched());
        }
        params.add(f.limit());
        String sql = "select " + t.rowKey() + ", " + t.camera() + ", " + t.time() + ", " + t.matched() + ", "
                + t.identity() + ", " + t.score() + ", " + t.age() + ", " + t.cropTopic() + ", " + t.cropPartition()
                + ", " + t.cropOffset() + " from " + t.table() + where + " order by " + t.time() + " desc limit ?";
        return new Query(sql, List.copyOf(params));
    }

    public List<Row> find(Connection c, Filter f) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = query(f).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String topic = rs.getString(8);
                CropLocation crop = topic == null ? null : new CropLocation(topic, rs.getInt(9), rs.getLong(10));
                float score = rs.getFloat(6);
                Float boxed = rs.wasNull() ? null : score;
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4),
                        rs.getString(5), boxed, rs.getFloat(7), crop));
            }
        }
        return rows;
    }
}
