package vap.sinks.db;

import vap.messages.Box;
import vap.messages.CropLocation;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** Column binding shared by the tables. */
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

    /** The bytes of an Avro bytes field (null stays null), without moving the buffer. */
    static byte[] bytes(java.nio.ByteBuffer b) {
        if (b == null) {
            return null;
        }
        java.nio.ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static Timestamp ts(Instant t) {
        return Timestamp.from(t);
    }
}
