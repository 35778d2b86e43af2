package vap.faults;

import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.embedded.EmbeddedKafka;
import vap.embedded.EmbeddedPostgres;
import vap.embedded.SchemaRegistryServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The embedded Kafka, registry and PostgreSQL on ports fixed at the start, so that the broker and the registry
 * can be stopped and started again where the running services expect them (same ports, same log directory,
 * same schema file), as an operator's restart would.
 */
final class FaultStack implements AutoCloseable {
    private final Path workDir;
    private final int kafkaPort = freePort();
    private final int controllerPort = freePort();
    private final int registryPort = freePort();
    private final EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private SchemaRegistryServer registry;

    FaultStack(Path workDir) {
        this.workDir = workDir;
        startRegistry();
        startKafka();
        postgres = EmbeddedPostgres.start(workDir.resolve("postgres"), 0);
        TopicAdmin.ensureTopics(kafkaSettings(), Topics.defaults(), 2, (short) 1);
    }

    KafkaSettings kafkaSettings() {
        return KafkaSettings.of("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort);
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    synchronized void stopKafka() {
        System.out.println("fault: stopKafka at " + java.time.Instant.now());
        kafka.close();
        kafka = null;
    }

    synchronized void startKafka() {
        System.out.println("fault: startKafka at " + java.time.Instant.now());
        kafka = EmbeddedKafka.start(workDir.resolve("kafka"), kafkaPort, controllerPort, Map.of());
    }

    synchronized void stopRegistry() {
        System.out.println("fault: stopRegistry at " + java.time.Instant.now());
        registry.close();
        registry = null;
    }

    synchronized void startRegistry() {
        System.out.println("fault: startRegistry at " + java.time.Instant.now());
        registry = SchemaRegistryServer.start("127.0.0.1", registryPort, workDir.resolve("registry").resolve("schemas.json"));
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.close();
        }
        postgres.close();
        if (registry != null) {
            registry.close();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
