package vap.sinks.db;

import vap.messages.Box;
import vap.messages.CropLocation;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** Column binding shared by the three tables. */
final class Rows {
    private Rows() {
    }

    static int box(PreparedStatement ps, int i, Box b) throws SQLException {
        ps.setFloat(i++, b.getX1());
        ps.setFloat(i++, b.getY1());
        ps.setFloat(i++, b.getX2());
        ps.setFloat(i++, b.getY2());
        return i;
    }

    static int crop(PreparedStatement ps, int i, CropLocation c) throws SQLException {
        if (c == null) {
            ps.setNull(i++, Types.VARCHAR);
            ps.setNull(i++, Types.INTEGER);
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setString(i++, c.getTopic());
            ps.setInt(i++, c.getPartition());
            ps.setLong(i++, c.getOffset());
        }
        return i;
    }

    static Timestamp ts(Instant t) {
        return Timestamp.from(t);
    }
}
