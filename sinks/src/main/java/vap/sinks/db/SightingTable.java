package vap.sinks.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import vap.messages.Candidate;
import vap.messages.Sighting;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Sightings into {@code sightings}, keyed (camera_id, frame_sequence, face_index). */
public final class SightingTable implements TableWriter<Sighting> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String insertSql() {
        return "insert into sightings (camera_id, frame_sequence, face_index, captured_at, recognized_at,"
                + " box_x1, box_y1, box_x2, box_y2, detection_score, age, metric, matched, best_identity_id,"
                + " best_score, candidates, embedding, crop_topic, crop_partition, crop_offset, track_id, quality)"
                + " values (?,?,?,?,?, ?,?,?,?, ?,?,?,?,?, ?,?::jsonb,?,?,?,?, ?,?)"
                + " on conflict (camera_id, frame_sequence, face_index) do nothing";
    }

    @Override
    public void bind(PreparedStatement ps, Sighting s) throws SQLException {
        int i = 1;
        ps.setString(i++, s.getFrame().getCameraId());
        ps.setLong(i++, s.getFrame().getSequence());
        ps.setInt(i++, s.getFaceIndex());
        ps.setTimestamp(i++, Rows.ts(s.getFrame().getCaptureTimestamp()));
        ps.setTimestamp(i++, Rows.ts(s.getRecognizedTimestamp()));
        i = Rows.box(ps, i, s.getBox());
        ps.setFloat(i++, s.getDetectionScore());
        ps.setFloat(i++, s.getAge());
        ps.setString(i++, s.getMetric());
        ps.setBoolean(i++, s.getMatched());
        if (s.getCandidates().isEmpty()) {
            ps.setNull(i++, Types.VARCHAR);
            ps.setNull(i++, Types.REAL);
        } else {
            ps.setString(i++, s.getCandidates().get(0).getIdentityId());
            ps.setFloat(i++, s.getCandidates().get(0).getScore());
        }
        ArrayNode candidates = JSON.createArrayNode();
        for (Candidate c : s.getCandidates()) {
            candidates.addObject().put("identityId", c.getIdentityId()).put("displayName", c.getDisplayName())
                    .put("watchlist", c.getWatchlist()).put("score", c.getScore());
        }
        ps.setString(i++, candidates.toString());
        ps.setArray(i++, ps.getConnection().createArrayOf("real", s.getEmbedding().toArray(Float[]::new)));
        i = Rows.crop(ps, i, s.getCrop());
        ps.setString(i++, s.getTrackId());
        if (s.getQuality() == null) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setFloat(i, s.getQuality());
        }
    }
}
