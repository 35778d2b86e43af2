package vap.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.embedded.EmbeddedPostgres;
import vap.messages.Candidate;
import vap.messages.Match;
import vap.messages.Sighting;
import vap.sinks.db.AlertTable;
import vap.sinks.db.Database;
import vap.sinks.db.DatabaseErasure;
import vap.sinks.db.MatchTable;
import vap.sinks.db.SightingTable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vap.sinks.TableRows.write;

/** {@code vap erase}'s database step: afterwards no table holds anything of the person; others keep theirs. */
class ErasureTest {
    @TempDir
    Path dir;

    @Test
    void eraseLeavesNoRowOfThePersonInAnyTable() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0)) {
            Database db = new Database(pg.jdbcUrl(), "postgres", "postgres");
            db.migrate();
            List<Sighting> sightings = new ArrayList<>();
            List<Match> matches = new ArrayList<>();
            for (int seq = 0; seq < 10; seq++) {
                String best = seq % 2 == 0 ? "ada" : "bob";
                sightings.add(Samples.sighting("lobby", seq, 0, best));
                matches.add(Samples.match(best, "lobby", seq, seq));
            }
            // A stranger's face where ada was only a lower candidate: the row stays, ada leaves its candidate list.
            sightings.add(Sighting.newBuilder(Samples.sighting("lobby", 99, 0, "bob"))
                    .setCandidates(List.of(new Candidate("bob", "N", "vip", 0.7f), new Candidate("ada", "N", "vip", 0.2f))).build());
            write(db, new SightingTable(), sightings);
            write(db, new MatchTable(), matches);
            write(db, new AlertTable(), List.of(Samples.alert("ada/lobby/0", "ada", 0, Samples.T0),
                    Samples.alert("bob/lobby/1", "bob", 1, Samples.T0.plusSeconds(1))));
            assertEquals(Map.of("ada", 12L, "bob", 12L), mentions(pg));

            Settings s = Settings.of(Map.of("sinks.jdbc.url", pg.jdbcUrl(), "sinks.jdbc.password", "postgres"));
            Map<String, Long> removed = new DatabaseErasure().erase(s, "ada");
            System.out.println("erase ada: removed " + removed);
            assertEquals(1L, removed.get("alerts"));
            assertEquals(5L, removed.get("matches"));
            assertEquals(5L, removed.get("sightings"));
            assertEquals(1L, removed.get("sightings (candidate lists)"));
            assertEquals(Map.of("ada", 0L, "bob", 12L), mentions(pg), "nothing of ada anywhere; bob untouched");
        }
    }

    /** Rows of every table that mention the person anywhere (ids or candidate lists). */
    private static Map<String, Long> mentions(EmbeddedPostgres pg) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres")) {
            for (String who : List.of("ada", "bob")) {
                long n = 0;
                for (String q : List.of("select count(*) from alerts where identity_id = ?",
                        "select count(*) from matches where identity_id = ?",
                        "select count(*) from sightings where best_identity_id = ? or candidates::text like '%\"' || ? || '\"%'")) {
                    try (var ps = c.prepareStatement(q)) {
                        ps.setString(1, who);
                        if (q.contains("like")) {
                            ps.setString(2, who);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            n += rs.getLong(1);
                        }
                    }
                }
                out.put(who, n);
            }
        }
        return out;
    }
}
