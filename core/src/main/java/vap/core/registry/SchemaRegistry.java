package vap.core.registry;

import org.apache.avro.Schema;

import java.util.List;

/**
 * What the serialisers and operators need of a schema registry (the Confluent REST API's subset). Two kinds:
 * {@link SchemaRegistryClient} over HTTP (production, the embedded stack, integration tests) and
 * {@link InMemorySchemaRegistry} in this process (unit tests such as TopologyTestDriver ones). Failures are
 * {@link SchemaRegistryException}s with Confluent's error codes.
 */
public interface SchemaRegistry {

    /** A registered schema version under a subject. */
    record SchemaVersion(String subject, int version, int id, Schema schema) {
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is already registered under {@code subject}, without registering it. */
    int lookup(String subject, Schema schema);

    /** The schema with global id {@code id}. */
    Schema byId(int id);

    /** The latest version registered under {@code subject}. */
    SchemaVersion latest(String subject);

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** All subjects. */
    List<String> subjects();

    /** Sets the compatibility level (BACKWARD, FORWARD, FULL, NONE, ..._TRANSITIVE) of one subject. */
    void setCompatibility(String subject, String level);
}
