package vap.sinks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import vap.messages.Sighting;
import vap.sinks.db.SqlFailure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database that turns read-only (a failover) or refuses our grant is an outage: rows wait, none is dead-lettered. */
class DatabaseFaultTest {
    @TempDir
    Path dir;

    @Test
    void sqlStatesDecideOutageOrBadData() {
        for (String outage : List.of("08006", "57P01", "53300", "25006", "40001", "40P01", "28P01", "42501", "42P01", "23505")) {
            assertTrue(SqlFailure.isOutage(new SQLException("x", outage)), outage);
        }
        for (String bad : List.of("22001", "22P02", "23502", "23503", "23514")) {
            assertTrue(SqlFailure.isBadData(new SQLException("x", bad)), bad);
        }
        SQLException batch = new SQLException("batch entry 0 failed", (String) null);
        batch.setNextException(new SQLException("value too long", "22001"));
        assertTrue(SqlFailure.isBadData(batch), "a batch failure is judged by the server's error it carries");
        assertFalse(SqlFailure.isBadData(new SQLException("no state")), "no SQLSTATE: a driver or network failure");
    }

    @Test
    void aReadOnlyDatabaseLosesNothingAndDeadLettersNothing() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
             EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0)) {
            Topics topics = Topics.defaults();
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            Settings s = Settings.of(Map.of("sinks.jdbc.url", pg.jdbcUrl(), "sinks.jdbc.password", "postgres",
                    "sinks.only", "db", "sinks.batch.size", "20"));
            var codec = new AvroCodec<>(ks.registryClient(), Sighting.class);
            try (var producer = new KafkaProducer<>(ks.common(), new StringSerializer(), new ByteArraySerializer());
                 SinksService sinks = SinksService.start(SinksConfig.from(s), ks, new SimpleMeterRegistry());
                 Connection admin = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "postgres");
                 Statement st = admin.createStatement()) {
                send(producer, codec, topics, 0, 20);
                DatabaseSinkTest.awaitCount(pg.jdbcUrl(), "sightings", 20);

                // A failover leaves a read-only standby: every new session is read-only (SQLSTATE 25006).
                st.execute("alter database " + database(st) + " set default_transaction_read_only = on");
                terminateOthers(st);
                send(producer, codec, topics, 20, 40);
                Thread.sleep(4000);
                assertEquals(20, rows(st), "nothing written while read-only");
                assertTrue(sinks.healthy(), "an outage shorter than the stall timeout keeps the writers up");

                st.execute("alter database " + database(st) + " reset default_transaction_read_only");
                terminateOthers(st);
                DatabaseSinkTest.awaitCount(pg.jdbcUrl(), "sightings", 40);
                long dead = deadLetters(kafka, topics.sightings() + ".dlq");
                System.out.println("read-only database: sightings in 40, rows 40, dead letters " + dead);
                assertEquals(0, dead, "an outage is never the rows' fault");
            }
        }
    }

    @Test
    void healthGoesDownWhileTheDatabaseIsUnreachableAndUpWhenItIsBack() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), 0);
            int port = pg.port();
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            Settings s = Settings.of(Map.of("sinks.jdbc.url", pg.jdbcUrl(), "sinks.jdbc.password", "postgres",
                    "sinks.only", "db", "sinks.health.database.down.after", "3s"));
            try (SinksService sinks = SinksService.start(SinksConfig.from(s), ks, new SimpleMeterRegistry())) {
                // Wait for a first good probe, not only the start-up grace: otherwise a slow first probe makes the
                // outage "never reached" instead of "unreachable".
                await(() -> sinks.healthy() && sinks.describe().matches("(?s).*database \\S+ reachable.*"),
                        "up with the database: " + sinks.describe());
                pg.close();
                await(() -> !sinks.healthy(), "down without the database");
                System.out.println("database stopped: /health " + sinks.health());
                assertTrue(sinks.describe().contains("database") && sinks.describe().contains("unreachable"), sinks.describe());
                pg = EmbeddedPostgres.start(dir.resolve("pg"), port);
                await(sinks::healthy, "up again: " + sinks.describe());
            } finally {
                pg.close();
            }
        }
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static void send(KafkaProducer<String, byte[]> p, AvroCodec<Sighting> codec, Topics topics, int from, int to) {
        for (int seq = from; seq < to; seq++) {
            p.send(new ProducerRecord<>(topics.sightings(), "lobby",
                    codec.encode(topics.sightings(), Samples.sighting("lobby", seq, 0, null))));
        }
        p.flush();
    }

    private static String database(Statement st) throws SQLException {
        try (var rs = st.executeQuery("select current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void terminateOthers(Statement st) throws SQLException {
        st.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() "
                + "and datname = current_database()");
    }

    private static long rows(Statement st) throws SQLException {
        try (var rs = st.executeQuery("select count(*) from sightings")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long deadLetters(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var parts = c.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            return parts.isEmpty() ? 0 : c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
