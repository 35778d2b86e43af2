package vap.recognizer.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.EmbeddedPostgres;
import vap.embedded.SchemaRegistryServer;
import vap.messages.Feedback;
import vap.recognizer.feedback.FeedbackFollower;
import vap.recognizer.watchlist.Identity;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.testsupport.CommandRunner;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code vap feedback} against a real PostgreSQL and broker: the face's stored embedding reaches a recognizer's watchlist. */
class FeedbackCommandTest {
    static final int D = WatchlistConfig.DIMENSION;

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;
    static EmbeddedPostgres pg;
    static KafkaSettings settings;

    @BeforeAll
    static void start() throws Exception {
        registry = SchemaRegistryServer.start(0);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        TopicAdmin.ensureTopics(settings, Topics.defaults(), 1, (short) 1);
        pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
        // The columns vap feedback reads, as the sinks' migrations define them (the sinks are not on this classpath).
        try (Connection c = connect()) {
            c.createStatement().execute("create table sightings (camera_id text, frame_sequence bigint, face_index integer,"
                    + " embedding real[] not null, primary key (camera_id, frame_sequence, face_index))");
            c.createStatement().execute("create table appearances (track_id text primary key, embedding real[] not null)");
            insert(c, "insert into sightings values ('lobby-1', 42, 0, ?)", at(0.8, 1));
            insert(c, "insert into appearances values ('lobby-1:7', ?)", at(0.8, 2));
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
        kafka.close();
        registry.close();
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    static void insert(Connection c, String sql, float[] v) throws Exception {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = v[i];
        }
        try (var ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("real", boxed));
            ps.executeUpdate();
        }
    }

    static float[] at(double cos, int axis) {
        float[] v = new float[D];
        v[0] = (float) cos;
        v[axis] = (float) Math.sqrt(1 - cos * cos);
        return v;
    }

    @Test
    void publishesTheStoredEmbeddingAndTheRecognizerAppliesIt() throws Exception {
        String[] common = {"--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--set", "registry.url=" + registry.url(),
                "--set", "sinks.jdbc.user=" + pg.user(), "--set", "sinks.jdbc.password=" + pg.password(), "--jdbc-url", pg.jdbcUrl()};
        try (Watchlist w = new Watchlist(WatchlistConfig.from(vap.core.config.Settings.of(Map.of("watchlist.threshold", "0.6"))));
             FeedbackFollower follower = new FeedbackFollower(w, settings, Topics.defaults().feedback(),
                     new AvroCodec<>(settings.registryClient(), Feedback.class), "feedback-command-test")) {
            w.put(new Identity("alice", "Alice", "vip", Watchlist.indexIdOf("alice"), at(1, 3), 1, Instant.EPOCH));
            follower.awaitCaughtUp(Duration.ofSeconds(30));
            assertTrue(w.decide(at(0.8, 1), 1).matched(), "the sighting's face matches alice at first");
            assertTrue(w.decide(at(0.8, 2), 1).matched(), "so does the appearance's");

            CommandRunner.Run sighting = CommandRunner.run(new FeedbackCommand(), common, "--not", "alice", "--sighting", "lobby-1/42/0");
            assertEquals(0, sighting.code(), sighting.out());
            assertTrue(sighting.out().contains("sighting:lobby-1/42/0 is not alice"), sighting.out());
            eventually(w, 1);
            assertFalse(w.decide(at(0.8, 1), 1).matched(), "that sighting's face no longer matches alice");
            assertTrue(w.decide(at(0.8, 2), 1).matched(), "the appearance's face still does (cos 0.64 to the negative)");

            CommandRunner.Run appearance = CommandRunner.run(new FeedbackCommand(), common, "--not", "alice", "--appearance", "lobby-1:7");
            assertEquals(0, appearance.code(), appearance.out());
            eventually(w, 2);
            assertFalse(w.decide(at(0.8, 2), 1).matched());
            assertTrue(w.decide(at(1, 3), 1).matched(), "alice's own face still matches");

            CommandRunner.Run missing = CommandRunner.run(new FeedbackCommand(), common, "--not", "alice", "--sighting", "lobby-1/43/0");
            assertEquals(1, missing.code(), missing.out());
            assertTrue(missing.out().contains("not found sighting:lobby-1/43/0"), missing.out());
        }
    }

    static void eventually(Watchlist w, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (w.feedbackCount("alice") == count) {
                return;
            }
            Thread.sleep(50);
        }
        fail("feedback for alice never reached " + count);
    }
}
