package vap.recognizer.feedback;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The face a piece of feedback is about: one sighting (camera/sequence/face, one crop's embedding) or one
 * appearance (a track, its fused embedding), and how to read its embedding from the sinks' PostgreSQL tables.
 */
public record FaceSource(String cameraId, long frameSequence, int faceIndex, String trackId) {

    public static FaceSource sighting(String key) {
        String[] p = key.split("/");
        if (p.length < 3) {
            throw new IllegalArgumentException("a sighting is <camera>/<sequence>/<face>, got '" + key + "'");
        }
        // A camera id may itself hold '/': the last two parts are the sequence and the face.
        String camera = String.join("/", java.util.Arrays.copyOf(p, p.length - 2));
        try {
            return new FaceSource(camera, Long.parseLong(p[p.length - 2]), Integer.parseInt(p[p.length - 1]), null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a sighting is <camera>/<sequence>/<face> with numbers, got '" + key + "'");
        }
    }

    public static FaceSource appearance(String trackId) {
        if (trackId == null || trackId.isBlank()) {
            throw new IllegalArgumentException("an appearance needs its track id");
        }
        return new FaceSource(null, -1, -1, trackId);
    }

    /** The embedding stored for this face (sightings.embedding or appearances.embedding); empty when no row. */
    public Optional<float[]> embedding(Connection c) throws SQLException {
        String sql = trackId != null
                ? "select embedding from appearances where track_id = ?"
                : "select embedding from sightings where camera_id = ? and frame_sequence = ? and face_index = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (trackId != null) {
                ps.setString(1, trackId);
            } else {
                ps.setString(1, cameraId);
                ps.setLong(2, frameSequence);
                ps.setInt(3, faceIndex);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array a = rs.getArray(1);
                Object[] values = (Object[]) a.getArray();
                float[] v = new float[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = ((Number) values[i]).floatValue();
                }
                return Optional.of(v);
            }
        }
    }

    @Override
    public String toString() {
        return trackId != null ? "appearance:" + trackId : "sighting:" + cameraId + "/" + frameSequence + "/" + faceIndex;
    }
}
