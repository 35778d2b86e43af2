package vap.sinks.db;

import vap.messages.Alert;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Alerts into {@code alerts}, keyed by alert id (identity/camera/first frame). */
public final class AlertTable implements TableWriter<Alert> {
    @Override
    public String insertSql() {
        return "insert into alerts (alert_id, identity_id, display_name, watchlist, camera_id, captured_at, alerted_at,"
                + " metric, score, age, frame_sequence, face_index, crop_topic, crop_partition, crop_offset, track_id,"
                + " best_shot_jpeg) values (?,?,?,?,?,?,?, ?,?,?,?,?, ?,?,?, ?,?) on conflict (alert_id) do nothing";
    }

    @Override
    public void bind(PreparedStatement ps, Alert a) throws SQLException {
        int i = 1;
        ps.setString(i++, a.getAlertId());
        ps.setString(i++, a.getIdentityId());
        ps.setString(i++, a.getDisplayName());
        ps.setString(i++, a.getWatchlist());
        ps.setString(i++, a.getCameraId());
        ps.setTimestamp(i++, Rows.ts(a.getCaptureTimestamp()));
        ps.setTimestamp(i++, Rows.ts(a.getAlertedTimestamp()));
        ps.setString(i++, a.getMetric());
        ps.setFloat(i++, a.getScore());
        ps.setFloat(i++, a.getAge());
        ps.setLong(i++, a.getFrame().getSequence());
        ps.setInt(i++, a.getFaceIndex());
        i = Rows.crop(ps, i, a.getCrop());
        ps.setString(i++, a.getTrackId());
        ps.setBytes(i, Rows.bytes(a.getBestShotJpeg()));
    }
}
