package vap.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.KafkaSettings;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Kafka (KRaft), PostgreSQL and the schema registry in one call, all data under one work directory
 * ({@code kafka/}, {@code postgres/}, {@code registry/}). Stopping closes them in reverse order; a failed start
 * closes whatever had already started, so nothing is left running.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

    /** Ports of 0 mean "a free port". */
    public record Config(Path workDir, int kafkaPort, int kafkaControllerPort, int postgresPort, int registryPort,
                         boolean withPostgres) {
        public static Config defaults(Path workDir) {
            return new Config(workDir, 0, 0, 0, 0, true);
        }

    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private EmbeddedPostgres postgres;
    private SchemaRegistryServer registry;
    private volatile boolean closed;

    private EmbeddedStack() {
    }

    public static EmbeddedStack start(Config config) {
        EmbeddedStack s = new EmbeddedStack();
        long t0 = System.nanoTime();
        try {
            s.registry = s.track(SchemaRegistryServer.start("127.0.0.1", config.registryPort(),
                    config.workDir().resolve("registry").resolve("schemas.json")));
            s.kafka = s.track(EmbeddedKafka.start(config.workDir().resolve("kafka"), config.kafkaPort(),
                    config.kafkaControllerPort(), Map.of()));
            if (config.withPostgres()) {
                s.postgres = s.track(EmbeddedPostgres.start(config.workDir().resolve("postgres"), config.postgresPort()));
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        log.info("embedded stack up in {} ms: kafka {}, registry {}, postgres {}",
                (System.nanoTime() - t0) / 1_000_000, s.kafka.bootstrapServers(), s.registry.url(),
                s.postgres == null ? "off" : s.postgres.jdbcUrl());
        return s;
    }

    private <T extends AutoCloseable> T track(T c) {
        started.push(c);
        return c;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgres postgres() {
        if (postgres == null) {
            throw new IllegalStateException("this stack was started without PostgreSQL");
        }
        return postgres;
    }

    public SchemaRegistryServer registry() {
        return registry;
    }

    public KafkaSettings kafkaSettings() {
        return KafkaSettings.of(kafka.bootstrapServers(), registry.url());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
