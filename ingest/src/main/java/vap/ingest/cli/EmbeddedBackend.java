package vap.ingest.cli;

import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;

import java.nio.file.Path;

/** Kafka and the schema registry in this JVM for {@code vap ingest --embedded} (needs vap-embedded at run time). */
final class EmbeddedBackend implements AutoCloseable {
    private final SchemaRegistryServer registry;
    private final EmbeddedKafka kafka;

    private EmbeddedBackend(SchemaRegistryServer registry, EmbeddedKafka kafka) {
        this.registry = registry;
        this.kafka = kafka;
    }

    static EmbeddedBackend start(Path workDir) {
        SchemaRegistryServer r = SchemaRegistryServer.start("127.0.0.1", 0, workDir.resolve("registry").resolve("schemas.json"));
        try {
            return new EmbeddedBackend(r, EmbeddedKafka.start(workDir.resolve("kafka")));
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        kafka.close();
        registry.close();
    }
}
