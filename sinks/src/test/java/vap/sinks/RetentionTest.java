package vap.sinks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.embedded.EmbeddedPostgres;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Sighting;
import vap.sinks.db.AlertTable;
import vap.sinks.db.AppearanceTable;
import vap.sinks.db.Database;
import vap.sinks.db.MatchTable;
import vap.sinks.db.SightingTable;
import vap.sinks.retention.RowExpiry;
import vap.sinks.retention.RowRetention;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vap.sinks.TableRows.write;

/**
 * Issue 13, item 5: strangers' rows expire after {@code sinks.retention.strangers}, watchlisted people's after
 * {@code sinks.retention.matched} (0 = kept), on a real PostgreSQL, with rows one second either side of each cut-off.
 */
class RetentionTest {
    private static final Duration STRANGERS = Duration.ofDays(30);
    private static final Duration MATCHED = Duration.ofDays(90);
    /** Now is 100 days after the samples' T0: strangers' cut-off T0 + 70 d, matched rows' T0 + 10 d. */
    private static final Instant NOW = Samples.T0.plus(Duration.ofDays(100));
    private static final Instant STRANGER_CUT = NOW.minus(STRANGERS);
    private static final Instant MATCHED_CUT = NOW.minus(MATCHED);

    @TempDir
    Path dir;

    @Test
    void strangersExpireAfterTheirRetentionAndMatchedRowsOnlyWhenConfigured() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0)) {
            Database db = new Database(pg.jdbcUrl(), "postgres", "postgres");
            db.migrate();
            // 1. Strangers: five old faces and one a second before the cut-off expire; one a second after stays.
            List<Sighting> sightings = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sightings.add(sighting("stranger-old-" + i, Samples.T0.plusSeconds(i), null));
            }
            sightings.add(sighting("stranger-before", STRANGER_CUT.minusSeconds(1), null));
            sightings.add(sighting("stranger-after", STRANGER_CUT.plusSeconds(1), null));
            // Matched faces: expire only with sinks.retention.matched, by the same rule around their cut-off.
            sightings.add(sighting("ada-before", MATCHED_CUT.minusSeconds(1), "ada"));
            sightings.add(sighting("ada-after", MATCHED_CUT.plusSeconds(1), "ada"));
            write(db, new SightingTable(), sightings);
            write(db, new MatchTable(), List.of(match("ada-before", MATCHED_CUT.minusSeconds(1)),
                    match("ada-after", MATCHED_CUT.plusSeconds(1))));
            write(db, new AlertTable(), List.of(Samples.alert("a-before", "ada", 1, MATCHED_CUT.minusSeconds(1)),
                    Samples.alert("a-after", "ada", 1, MATCHED_CUT.plusSeconds(1))));
            // Appearances by their last face: the kept stranger's track began long before the cut-off.
            long strangerCut = Duration.between(Samples.T0, STRANGER_CUT).toSeconds();
            long matchedCut = Duration.between(Samples.T0, MATCHED_CUT).toSeconds();
            write(db, new AppearanceTable(), List.of(Samples.appearance("t-stranger-before", "lobby", null, strangerCut - 1, true),
                    Samples.appearance("t-stranger-after", "lobby", null, strangerCut + 1, true),
                    Samples.appearance("t-ada-before", "lobby", "ada", matchedCut - 1, true),
                    Samples.appearance("t-ada-after", "lobby", "ada", matchedCut + 1, true)));

            // 2. Strangers only (the default: matched rows kept), in batches of 2.
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            Map<String, Long> first = new RowExpiry(db, new RowRetention(STRANGERS, Duration.ZERO, Duration.ofMinutes(1), 2),
                    clock, metrics).expireNow();
            System.out.println("strangers only: " + first);
            assertEquals(Map.of("sightings stranger", 6L, "appearances stranger", 1L), first);
            assertEquals(List.of("ada-after", "ada-before", "stranger-after"), cameras(pg, "select camera_id from sightings"));
            assertEquals(List.of("t-ada-after", "t-ada-before", "t-stranger-after"), cameras(pg, "select track_id from appearances"));
            assertEquals(2, cameras(pg, "select alert_id from alerts").size(), "matched rows kept without a retention");
            assertEquals(6.0, metrics.get("vap.sinks.rows.expired").tags("table", "sightings", "kind", "stranger").counter().count());

            // 3. Matched rows too, 90 days.
            Map<String, Long> second = new RowExpiry(db, new RowRetention(STRANGERS, MATCHED, Duration.ofMinutes(1), 2),
                    clock, metrics).expireNow();
            System.out.println("strangers and matched: " + second);
            assertEquals(Map.of("sightings stranger", 0L, "appearances stranger", 0L, "sightings matched", 1L,
                    "matches matched", 1L, "alerts matched", 1L, "appearances matched", 1L), second);
            assertEquals(List.of("ada-after", "stranger-after"), cameras(pg, "select camera_id from sightings"));
            assertEquals(List.of("ada-after"), cameras(pg, "select camera_id from matches"));
            assertEquals(List.of("a-after"), cameras(pg, "select alert_id from alerts"));
            assertEquals(List.of("t-ada-after", "t-stranger-after"), cameras(pg, "select track_id from appearances"));
            assertEquals(1.0, metrics.get("vap.sinks.rows.expired").tags("table", "alerts", "kind", "matched").counter().count());
        }
    }

    @Test
    void retentionKeysParseWithZeroMeaningKeep() {
        RowRetention defaults = RowRetention.from(Settings.empty());
        assertEquals(Duration.ofDays(30), defaults.strangers());
        assertEquals(Duration.ZERO, defaults.matched());
        RowRetention kept = RowRetention.from(Settings.of(Map.of("sinks.retention.strangers", "0",
                "sinks.retention.matched", "365d", "sinks.retention.batch.size", "200")));
        assertEquals(Duration.ZERO, kept.strangers());
        assertEquals(Duration.ofDays(365), kept.matched());
        assertEquals(200, kept.batchSize());
        assertEquals(true, RowRetention.from(Settings.of(Map.of("sinks.retention.strangers", "0"))).keepsEverything());
        assertThrows(ConfigException.class, () -> RowRetention.from(Settings.of(Map.of("sinks.retention.strangers", "soon"))));
        assertThrows(ConfigException.class, () -> RowRetention.from(Settings.of(Map.of("sinks.retention.batch.size", "0"))));
    }

    /** A face on its own camera (the camera id names the row), captured at {@code at}. */
    private static Sighting sighting(String camera, Instant at, String best) {
        return Sighting.newBuilder(Samples.sighting(camera, 1, 0, best)).setFrame(new FrameRef(camera, 1L, at)).build();
    }

    private static Match match(String camera, Instant at) {
        return Match.newBuilder(Samples.match("ada", camera, 1, 0)).setFrame(new FrameRef(camera, 1L, at)).build();
    }

    private static List<String> cameras(EmbeddedPostgres pg, String sql) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return List.copyOf(out);
    }
}
