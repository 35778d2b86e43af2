package vap.sinks.db;

import vap.messages.Appearance;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Appearances into {@code appearances}, keyed by track id. An upsert rather than DO NOTHING: a track's record may
 * come again with more seen (an open-track update, or a second recognizer after a rebalance); the row takes the
 * one that saw the track latest, or the closing one at the same time, so a replay changes nothing.
 */
public final class AppearanceTable implements TableWriter<Appearance> {
    private static final String COLUMNS = "track_id, camera_id, first_seen_at, last_seen_at, faces, embedded_faces,"
            + " best_frame_sequence, best_captured_at, best_face_index, best_box_x1, best_box_y1, best_box_x2,"
            + " best_box_y2, best_crop_topic, best_crop_partition, best_crop_offset, best_shot_jpeg, best_quality,"
            + " identity_id, display_name, watchlist, metric, score, threshold, age, embedding, closed, published_at";

    @Override
    public String insertSql() {
        StringBuilder update = new StringBuilder();
        for (String c : COLUMNS.split(",")) {
            String col = c.trim();
            if (!col.equals("track_id")) {
                update.append(update.isEmpty() ? "" : ", ").append(col).append(" = excluded.").append(col);
            }
        }
        return "insert into appearances (" + COLUMNS + ") values (?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?,?,"
                + " ?,?,?,?,?,?,?,?,?,?) on conflict (track_id) do update set " + update
                + " where excluded.last_seen_at > appearances.last_seen_at"
                + " or (excluded.last_seen_at = appearances.last_seen_at and excluded.closed and not appearances.closed)";
    }

    @Override
    public void bind(PreparedStatement ps, Appearance a) throws SQLException {
        int i = 1;
        ps.setString(i++, a.getTrackId());
        ps.setString(i++, a.getCameraId());
        ps.setTimestamp(i++, Rows.ts(a.getFirstSeenTimestamp()));
        ps.setTimestamp(i++, Rows.ts(a.getLastSeenTimestamp()));
        ps.setInt(i++, a.getFaces());
        ps.setInt(i++, a.getEmbeddedFaces());
        ps.setLong(i++, a.getBestShot().getSequence());
        ps.setTimestamp(i++, Rows.ts(a.getBestShot().getCaptureTimestamp()));
        ps.setInt(i++, a.getBestShotFaceIndex());
        i = Rows.box(ps, i, a.getBestShotBox());
        i = Rows.crop(ps, i, a.getBestShotCrop());
        ps.setBytes(i++, Rows.bytes(a.getBestShotJpeg()));
        ps.setFloat(i++, a.getBestQuality());
        if (a.getIdentityId() == null) {
            ps.setNull(i++, Types.VARCHAR);
            ps.setNull(i++, Types.VARCHAR);
            ps.setNull(i++, Types.VARCHAR);
        } else {
            ps.setString(i++, a.getIdentityId());
            ps.setString(i++, a.getDisplayName());
            ps.setString(i++, a.getWatchlist());
        }
        ps.setString(i++, a.getMetric());
        ps.setFloat(i++, a.getScore());
        ps.setFloat(i++, a.getThreshold());
        ps.setFloat(i++, a.getAge());
        ps.setArray(i++, ps.getConnection().createArrayOf("real", a.getEmbedding().toArray(Float[]::new)));
        ps.setBoolean(i++, a.getClosed());
        ps.setTimestamp(i, Rows.ts(a.getPublishedTimestamp()));
    }
}
