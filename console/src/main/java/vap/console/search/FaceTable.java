package vap.console.search;

/**
 * Where the console's searches read faces from: the table and its column names. Today {@link #SIGHTINGS} (one row
 * per face); {@link #APPEARANCES} (one row per face track, being added to the sinks' migrations) maps the same
 * questions onto that table, so switching is this one choice ({@code console.search.table}).
 */
public record FaceTable(String table, String camera, String time, String identity, String matched, String score,
                        String age, String cropTopic, String cropPartition, String cropOffset, String rowKey) {

    public static final FaceTable SIGHTINGS = new FaceTable("sightings", "camera_id", "captured_at",
            "best_identity_id", "matched", "best_score", "age", "crop_topic", "crop_partition", "crop_offset",
            "camera_id || '/' || frame_sequence || '/' || face_index");

    public static final FaceTable APPEARANCES = new FaceTable("appearances", "camera_id", "first_seen_at",
            "identity_id", "(identity_id is not null)", "score", "age", "best_crop_topic", "best_crop_partition",
            "best_crop_offset", "track_id");

    public static FaceTable named(String name) {
        return switch (name) {
            case "sightings" -> SIGHTINGS;
            case "appearances" -> APPEARANCES;
            default -> throw new vap.core.config.ConfigException(
                    "console.search.table must be sightings or appearances, got '" + name + "'");
        };
    }
}
