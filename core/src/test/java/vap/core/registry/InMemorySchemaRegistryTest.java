package vap.core.registry;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import vap.core.serde.AvroCodec;
import vap.messages.FrameRef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemorySchemaRegistryTest {
    private static final Schema V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Cam\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    private static final Schema V2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Cam\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"fps\",\"type\":\"int\",\"default\":5}]}");
    private static final Schema BROKEN = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Cam\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"fps\",\"type\":\"int\"}]}");

    @Test
    void followsTheRegistryRules() {
        InMemorySchemaRegistry r = new InMemorySchemaRegistry();
        // Step 1: registration is idempotent, ids are global across subjects.
        int id1 = r.register("cams-value", V1);
        assertEquals(id1, r.register("cams-value", V1));
        assertEquals(id1, r.register("other-value", V1));
        assertEquals(V1, r.byId(id1));
        // Step 2: BACKWARD by default: a field with a default may be added, one without may not.
        assertTrue(r.isCompatible("cams-value", V2));
        assertFalse(r.isCompatible("cams-value", BROKEN));
        var refused = assertThrows(SchemaRegistryException.class, () -> r.register("cams-value", BROKEN));
        assertEquals(409, refused.errorCode());
        int id2 = r.register("cams-value", V2);
        assertEquals(new SchemaRegistry.SchemaVersion("cams-value", 2, id2, V2), r.latest("cams-value"));
        assertEquals(id1, r.lookup("cams-value", V1));
        // Step 3: NONE lets anything through; unknown subjects and ids fail with Confluent's codes.
        r.setCompatibility("cams-value", "NONE");
        assertTrue(r.isCompatible("cams-value", BROKEN));
        assertEquals(40401, assertThrows(SchemaRegistryException.class, () -> r.latest("nope-value")).errorCode());
        assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> r.byId(999)).errorCode());
        assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> r.lookup("other-value", V2)).errorCode());
        assertEquals(java.util.List.of("cams-value", "other-value"), r.subjects());
    }

    @Test
    void carriesTheWireFormatForACodec() {
        AvroCodec<FrameRef> codec = new AvroCodec<>(new InMemorySchemaRegistry(), FrameRef.class);
        FrameRef ref = FrameRef.newBuilder().setCameraId("lobby").setSequence(42)
                .setCaptureTimestamp(java.time.Instant.ofEpochMilli(1_700_000_000_000L)).build();
        byte[] bytes = codec.encode("vap.frames", ref);
        assertEquals(0, bytes[0]); // Confluent magic byte, then the 4-byte schema id
        assertEquals(ref, codec.decode("vap.frames", bytes));
    }
}
