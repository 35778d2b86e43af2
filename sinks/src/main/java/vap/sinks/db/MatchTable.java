package vap.sinks.db;

import vap.messages.Match;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Matches into {@code matches}, keyed (camera_id, frame_sequence, face_index). */
public final class MatchTable implements TableWriter<Match> {
    @Override
    public String insertSql() {
        return "insert into matches (camera_id, frame_sequence, face_index, identity_id, display_name, watchlist,"
                + " metric, score, threshold, age, captured_at, recognized_at, box_x1, box_y1, box_x2, box_y2,"
                + " crop_topic, crop_partition, crop_offset, track_id)"
                + " values (?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?, ?,?,?, ?)"
                + " on conflict (camera_id, frame_sequence, face_index) do nothing";
    }

    @Override
    public void bind(PreparedStatement ps, Match m) throws SQLException {
        int i = 1;
        ps.setString(i++, m.getFrame().getCameraId());
        ps.setLong(i++, m.getFrame().getSequence());
        ps.setInt(i++, m.getFaceIndex());
        ps.setString(i++, m.getIdentityId());
        ps.setString(i++, m.getDisplayName());
        ps.setString(i++, m.getWatchlist());
        ps.setString(i++, m.getMetric());
        ps.setFloat(i++, m.getScore());
        ps.setFloat(i++, m.getThreshold());
        ps.setFloat(i++, m.getAge());
        ps.setTimestamp(i++, Rows.ts(m.getFrame().getCaptureTimestamp()));
        ps.setTimestamp(i++, Rows.ts(m.getRecognizedTimestamp()));
        i = Rows.box(ps, i, m.getBox());
        i = Rows.crop(ps, i, m.getCrop());
        ps.setString(i, m.getTrackId());
    }
}
