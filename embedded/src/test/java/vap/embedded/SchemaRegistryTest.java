package vap.embedded;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.registry.SchemaRegistryClient;
import vap.core.registry.SchemaRegistryException;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real client against the registry server, over HTTP. */
class SchemaRegistryTest {
    static final Schema V1 = SchemaBuilder.record("Camera").namespace("t").fields()
            .requiredString("id").requiredInt("fps").endRecord();
    // Backward compatible: the new field has a default, so V2 readers can read V1 data.
    static final Schema V2 = SchemaBuilder.record("Camera").namespace("t").fields()
            .requiredString("id").requiredInt("fps").name("zone").type().stringType().stringDefault("none").endRecord();
    // Breaking: a new field without a default.
    static final Schema BROKEN = SchemaBuilder.record("Camera").namespace("t").fields()
            .requiredString("id").requiredInt("fps").requiredLong("owner").endRecord();

    @Test
    void registersLooksUpAndRefusesBreakingChanges(@TempDir Path dir) {
        try (SchemaRegistryServer server = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("schemas.json"))) {
            SchemaRegistryClient c = new SchemaRegistryClient(server.url());
            int id1 = c.register("cams-value", V1);
            assertEquals(id1, c.register("cams-value", V1), "registering again is idempotent");
            assertEquals(V1, c.byId(id1));
            assertTrue(c.isCompatible("cams-value", V2));
            assertFalse(c.isCompatible("cams-value", BROKEN));

            var refused = assertThrows(SchemaRegistryException.class, () -> c.register("cams-value", BROKEN));
            assertEquals(409, refused.errorCode());
            assertTrue(refused.getMessage().contains("incompatible"), refused.getMessage());

            int id2 = c.register("cams-value", V2);
            var latest = c.latest("cams-value");
            assertEquals(2, latest.version());
            assertEquals(id2, latest.id());
            assertEquals(V2, latest.schema());
            assertEquals(id1, c.lookup("cams-value", V1));
            assertEquals(List.of("cams-value"), c.subjects());

            c.setCompatibility("cams-value", "NONE");
            assertTrue(c.isCompatible("cams-value", BROKEN));

            var missing = assertThrows(SchemaRegistryException.class, () -> c.latest("nope-value"));
            assertEquals(40401, missing.errorCode());
            var noId = assertThrows(SchemaRegistryException.class, () -> new SchemaRegistryClient(server.url()).byId(999));
            assertEquals(40403, noId.errorCode());
        }
        // A restart keeps ids: records already in Kafka stay readable.
        try (SchemaRegistryServer again = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("schemas.json"))) {
            SchemaRegistryClient c = new SchemaRegistryClient(again.url());
            assertEquals(V1, c.byId(1));
            assertEquals(2, c.latest("cams-value").version());
        }
    }

    @Test
    void unreachableRegistryGivesAClearError() {
        SchemaRegistryClient c = new SchemaRegistryClient("http://127.0.0.1:1");
        var e = assertThrows(SchemaRegistryException.class, () -> c.byId(1));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthAndNotEchoed() {
        try (SchemaRegistryServer server = SchemaRegistryServer.start(0)) {
            String url = server.url().replace("http://", "http://svc:s3cret@");
            SchemaRegistryClient c = new SchemaRegistryClient(url);
            assertEquals(1, c.register("a-value", V1));
            var e = assertThrows(SchemaRegistryException.class, () -> c.byId(77));
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}
