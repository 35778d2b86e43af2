package vap.demo;

import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.messages.Alert;
import vap.messages.Appearance;
import vap.messages.FaceCrop;
import vap.messages.Frame;
import vap.messages.Match;
import vap.messages.Sighting;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a run produced, read back from the topics and the database after it: counts per stage (faces detected,
 * face tracks, embeddings computed = sightings, matches, appearances, alerts) and end-to-end latency from frame
 * capture to sighting and to alert.
 */
public record RunSummary(int frames, int faces, int sightings, int matches, int alerts, long dbSightings, long dbMatches,
                         long dbAlerts, double[] sightingLatencyMs, double[] alertLatencyMs, double seconds,
                         int tracks, int appearances, long dbAppearances) {

    public static RunSummary collect(KafkaSettings kafka, Topics topics, String jdbcUrl, Instant since, double seconds) {
        var frames = TopicReader.readAll(kafka, topics.frames(), Frame.class, f -> !f.getCaptureTimestamp().isBefore(since));
        var faces = TopicReader.readAll(kafka, topics.faces(), FaceCrop.class,
                f -> !f.getFrame().getCaptureTimestamp().isBefore(since));
        var sightings = TopicReader.readAll(kafka, topics.sightings(), Sighting.class,
                s -> !s.getFrame().getCaptureTimestamp().isBefore(since));
        var matches = TopicReader.readAll(kafka, topics.matches(), Match.class,
                m -> !m.getFrame().getCaptureTimestamp().isBefore(since));
        var alerts = TopicReader.readAll(kafka, topics.alerts(), Alert.class, a -> !a.getCaptureTimestamp().isBefore(since));
        var appearances = TopicReader.readAll(kafka, topics.appearances(), Appearance.class,
                a -> a.getClosed() && !a.getFirstSeenTimestamp().isBefore(since));
        int tracks = (int) faces.stream().map(f -> f.value().getTrackId()).filter(java.util.Objects::nonNull).distinct().count();
        double[] sightingLatency = sightings.stream().mapToDouble(s -> s.value().getRecognizedTimestamp().toEpochMilli()
                - s.value().getFrame().getCaptureTimestamp().toEpochMilli()).sorted().toArray();
        double[] alertLatency = alerts.stream().mapToDouble(a -> a.value().getAlertedTimestamp().toEpochMilli()
                - a.value().getCaptureTimestamp().toEpochMilli()).sorted().toArray();
        long[] db = new long[4];
        if (jdbcUrl != null) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
                String[] tables = {"sightings", "matches", "alerts", "appearances"};
                String[] time = {"captured_at", "captured_at", "captured_at", "first_seen_at"};
                for (int i = 0; i < tables.length; i++) {
                    var ps = c.prepareStatement("select count(*) from " + tables[i] + " where " + time[i] + " >= ?");
                    ps.setTimestamp(1, Timestamp.from(since));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        db[i] = rs.getLong(1);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot count rows in " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
        return new RunSummary(frames.size(), faces.size(), sightings.size(), matches.size(), alerts.size(),
                db[0], db[1], db[2], sightingLatency, alertLatency, seconds, tracks, appearances.size(), db[3]);
    }

    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    public String describe() {
        return String.join("\n", List.of(
                "summary of this run (" + String.format(Locale.ROOT, "%.0f", seconds) + " s):",
                String.format(Locale.ROOT, "  frames              %6d  (%.2f/s)", frames, frames / seconds),
                String.format(Locale.ROOT, "  faces detected      %6d", faces),
                String.format(Locale.ROOT, "  tracks              %6d", tracks),
                String.format(Locale.ROOT, "  embeddings computed %6d  (%s of the faces; sightings in PostgreSQL: %d)",
                        sightings, faces == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100.0 * sightings / faces),
                        dbSightings),
                String.format(Locale.ROOT, "  matches             %6d  (in PostgreSQL: %d)", matches, dbMatches),
                String.format(Locale.ROOT, "  appearances         %6d  (in PostgreSQL: %d)", appearances, dbAppearances),
                String.format(Locale.ROOT, "  alerts              %6d  (in PostgreSQL: %d)", alerts, dbAlerts),
                "  latency capture -> sighting: " + latency(sightingLatencyMs),
                "  latency capture -> alert:    " + latency(alertLatencyMs)));
    }

    private static String latency(double[] ms) {
        if (ms.length == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (n=%d, max %.0f ms)",
                percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), ms.length, ms[ms.length - 1]);
    }

    @Override
    public String toString() {
        return describe();
    }
}
