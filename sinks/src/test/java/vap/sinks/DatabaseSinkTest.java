package vap.sinks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.EmbeddedPostgres;
import vap.embedded.SchemaRegistryServer;
import vap.messages.Appearance;
import vap.messages.Match;
import vap.messages.Sighting;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sightings, matches and appearances reach PostgreSQL exactly once, through replays and a database outage. */
class DatabaseSinkTest {
    @TempDir
    Path dir;

    @Test
    void nothingLostNothingDuplicatedAcrossADatabaseOutage() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
            int pgPort = pg.port();
            Topics topics = Topics.defaults();
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            Settings s = Settings.of(Map.of("sinks.jdbc.url", pg.jdbcUrl(), "sinks.jdbc.password", "postgres",
                    "sinks.alerts.state.dir", dir.resolve("streams").toString(), "sinks.batch.size", "50"));
            var sightingCodec = new AvroCodec<>(ks.registryClient(), Sighting.class);
            var matchCodec = new AvroCodec<>(ks.registryClient(), Match.class);
            var appearanceCodec = new AvroCodec<>(ks.registryClient(), Appearance.class);
            try (var producer = new KafkaProducer<>(ks.common(), new StringSerializer(), new ByteArraySerializer());
                 SinksService sinks = SinksService.start(SinksConfig.from(s), ks, new SimpleMeterRegistry())) {
                // Step 1: 100 sightings (every 10th matched) and their matches, each sent twice (a replay).
                for (int round = 0; round < 2; round++) {
                    for (int seq = 0; seq < 100; seq++) {
                        String best = seq % 10 == 0 ? "ada" : null;
                        producer.send(new ProducerRecord<>(topics.sightings(), "lobby",
                                sightingCodec.encode(topics.sightings(), Samples.sighting("lobby", seq, 0, best))));
                        if (best != null) {
                            producer.send(new ProducerRecord<>(topics.matches(), "ada",
                                    matchCodec.encode(topics.matches(), Samples.match("ada", "lobby", seq, seq))));
                        }
                    }
                }
                // ... and three appearances (tracks), each twice; t1 first as two open-track updates, then closed
                // later, then an open record seen as late (a clean stop's) and the first update replayed late: the
                // row keeps the closed, latest record.
                List<Appearance> appearances = List.of(Samples.appearance("t1", "lobby", "ada", 5, false),
                        Samples.appearance("t2", "lobby", null, 8, true), Samples.appearance("t1", "lobby", "ada", 9, false),
                        Samples.appearance("t3", "garage", "bob", 9, true),
                        Samples.appearance("t1", "lobby", "ada", 12, true), Samples.appearance("t1", "lobby", "ada", 12, false),
                        Samples.appearance("t1", "lobby", "ada", 5, false));
                for (int round = 0; round < 2; round++) {
                    for (Appearance a : appearances) {
                        producer.send(new ProducerRecord<>(topics.appearances(), a.getCameraId(),
                                appearanceCodec.encode(topics.appearances(), a)));
                    }
                }
                producer.flush();
                awaitCount(pg.jdbcUrl(), "sightings", 100);
                awaitCount(pg.jdbcUrl(), "matches", 10);
                awaitCount(pg.jdbcUrl(), "appearances", 3);
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres");
                     ResultSet rs = c.createStatement().executeQuery("select track_id, identity_id, closed,"
                             + " extract(epoch from last_seen_at - first_seen_at), length(best_shot_jpeg),"
                             + " array_length(embedding, 1) from appearances order by track_id")) {
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3) + " "
                                + rs.getInt(4) + " " + rs.getInt(5) + " " + rs.getInt(6));
                    }
                    assertEquals(List.of("t1 ada true 12 3 128", "t2 null true 8 3 128", "t3 bob true 9 3 128"), rows);
                }

                // Step 2: the database goes away while 50 more sightings arrive.
                pg.close();
                for (int seq = 100; seq < 150; seq++) {
                    producer.send(new ProducerRecord<>(topics.sightings(), "lobby",
                            sightingCodec.encode(topics.sightings(), Samples.sighting("lobby", seq, 0, null))));
                }
                producer.flush();
                Thread.sleep(3000); // the writer fails and backs off meanwhile

                // Step 3: it comes back on the same data and port; the writer catches up without a restart.
                pg = EmbeddedPostgres.start(dir.resolve("pg"), pgPort);
                awaitCount(pg.jdbcUrl(), "sightings", 150);
                awaitCount(pg.jdbcUrl(), "matches", 10);
                // One alert for ada's appearance: matches 10 s apart are within the 30 s window.
                awaitCount(pg.jdbcUrl(), "alerts", 1);
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres");
                     ResultSet rs = c.createStatement().executeQuery(
                             "select count(*), count(distinct (camera_id, frame_sequence, face_index)) from sightings")) {
                    rs.next();
                    assertEquals(rs.getLong(2), rs.getLong(1));
                }
            } finally {
                pg.close();
            }
        }
    }

    static void awaitCount(String jdbcUrl, String table, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        long n = -1;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                 ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
                rs.next();
                n = rs.getLong(1);
                if (n == expected) {
                    Thread.sleep(1500); // and stays there: nothing more trickles in
                    try (ResultSet again = c.createStatement().executeQuery("select count(*) from " + table)) {
                        again.next();
                        assertEquals(expected, again.getLong(1), table);
                    }
                    return;
                }
                if (n > expected) {
                    break;
                }
            } catch (java.sql.SQLException e) {
                // tables not migrated yet
            }
            Thread.sleep(250);
        }
        assertEquals(expected, n, "rows in " + table);
    }
}
