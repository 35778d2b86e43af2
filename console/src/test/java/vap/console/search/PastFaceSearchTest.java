package vap.console.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.embedded.EmbeddedPostgres;
import vap.recognizer.faiss.FaissIndexes;
import vap.recognizer.index.Metric;
import vap.sinks.db.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search of past faces on the sinks' real tables in PostgreSQL with the recognizer's FAISS index: the person's
 * faces come first, best first, those above the threshold are marked, and faces older than the window are not read.
 */
class PastFaceSearchTest {
    private static final int DIM = 128;

    @Test
    void findsThePersonsStoredFacesBestFirstWithinTheWindow(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0)) {
            new Database(pg.jdbcUrl(), "postgres", "postgres").migrate();
            Random random = new Random(7);
            float[] person = unit(random);
            Instant now = Instant.now();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres")) {
                // 1. Stored: 200 strangers, the person three times (closer and closer to the probe), once 40 days ago.
                for (int i = 0; i < 200; i++) {
                    insert(c, "cam-" + (i % 5), i, now.minus(Duration.ofMinutes(i)), unit(random));
                }
                insert(c, "lobby", 1001, now.minus(Duration.ofDays(1)), blend(person, unit(random), 0.30f));
                insert(c, "lobby", 1002, now.minus(Duration.ofDays(2)), blend(person, unit(random), 0.10f));
                insert(c, "door", 1003, now.minus(Duration.ofDays(3)), blend(person, unit(random), 0.60f));
                insert(c, "door", 1004, now.minus(Duration.ofDays(40)), person);

                // 2. Searched for the last 30 days with the person's embedding.
                PastFaceSearch search = new PastFaceSearch(FaceTable.SIGHTINGS, new FaissIndexes(), Metric.IP, DIM, 1_000_000);
                PastFaceSearch.Result r = search.search(c, List.of(person), now.minus(Duration.ofDays(30)), 10, 0.8f);

                // 3. The person's faces first, best first; the 40-day-old one was outside the window.
                assertEquals(203, r.searched(), "the faces of the last 30 days");
                assertEquals(10, r.hits().size());
                assertEquals(List.of("lobby/1002/0", "lobby/1001/0", "door/1003/0"),
                        r.hits().subList(0, 3).stream().map(PastFaceSearch.Hit::key).toList());
                for (int i = 1; i < r.hits().size(); i++) {
                    assertTrue(r.hits().get(i - 1).score() >= r.hits().get(i).score(), "ranked by score");
                }
                assertTrue(r.hits().stream().noneMatch(h -> h.key().equals("door/1004/0")), "older than the window");
                // 4. Only the two close faces pass 0.8; a stranger (random 128-d unit vector) is far below it.
                assertEquals(2, r.passing(), "scores " + r.hits().subList(0, 4));
                assertFalse(r.hits().get(2).passes());
                assertTrue(r.hits().get(3).score() < 0.5f, "the best stranger " + r.hits().get(3));

                // 5. Several probes (an enrolled person's photos): each stored face keeps its best score.
                PastFaceSearch.Result two = search.search(c, List.of(unit(random), person), now.minus(Duration.ofDays(30)), 3, 0.8f);
                assertEquals("lobby/1002/0", two.hits().get(0).key());
                assertEquals(r.hits().get(0).score(), two.hits().get(0).score(), 1e-5f);
            }
        }
    }

    private static void insert(Connection c, String camera, long sequence, Instant at, float[] embedding) throws Exception {
        try (var ps = c.prepareStatement("insert into sightings (camera_id, frame_sequence, face_index, captured_at,"
                + " recognized_at, box_x1, box_y1, box_x2, box_y2, detection_score, age, metric, matched,"
                + " best_identity_id, best_score, candidates, embedding)"
                + " values (?, ?, 0, ?, ?, 1, 2, 3, 4, 0.99, 30, 'IP', false, null, null, '[]'::jsonb, ?)")) {
            ps.setString(1, camera);
            ps.setLong(2, sequence);
            ps.setTimestamp(3, java.sql.Timestamp.from(at));
            ps.setTimestamp(4, java.sql.Timestamp.from(at));
            Float[] boxed = new Float[DIM];
            for (int i = 0; i < DIM; i++) {
                boxed[i] = embedding[i];
            }
            ps.setArray(5, c.createArrayOf("real", boxed));
            ps.executeUpdate();
        }
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalised(v);
    }

    /** {@code base} moved {@code amount} of the way towards {@code noise}, re-normalised. */
    private static float[] blend(float[] base, float[] noise, float amount) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (1 - amount) * base[i] + amount * noise[i];
        }
        return normalised(v);
    }

    private static float[] normalised(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
