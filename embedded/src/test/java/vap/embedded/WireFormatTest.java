package vap.embedded;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.core.registry.SchemaRegistryClient;
import vap.core.serde.AvroCodec;
import vap.core.serde.MalformedPayloadException;
import vap.core.serde.SchemaMismatchException;
import vap.core.serde.UnknownMagicByteException;
import vap.core.serde.UnknownSchemaIdException;
import vap.messages.Box;
import vap.messages.FrameRef;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Confluent wire format against bytes written out by hand from its documentation, and every bad-input case. */
class WireFormatTest {
    static SchemaRegistryServer server;
    static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        server = SchemaRegistryServer.start(0);
        client = new SchemaRegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // magic 0 | id 1 (big-endian) | "lobby-1": zigzag length 7 = 0x0e + ASCII | sequence 42: zigzag 84 = 0x54 |
    // 1700000000000 ms: zigzag 3400000000000 as a base-128 varint, least significant group first.
    static final String GOLDEN = "00" + "00000001" + "0e" + "6c6f6262792d31" + "54" + "80a0abfef962";

    @Test
    void encodesExactlyTheDocumentedBytes() {
        // A registry of its own, so FrameRef's schema gets id 1 whatever the other tests registered.
        try (SchemaRegistryServer fresh = SchemaRegistryServer.start(0)) {
            encodesGolden(new SchemaRegistryClient(fresh.url()));
        }
    }

    private static void encodesGolden(SchemaRegistryClient registry) {
        AvroCodec<FrameRef> codec = new AvroCodec<>(registry, FrameRef.class);
        FrameRef ref = new FrameRef("lobby-1", 42L, java.time.Instant.ofEpochMilli(1_700_000_000_000L));
        byte[] bytes = codec.encode("golden", ref);
        assertEquals(GOLDEN, HexFormat.of().formatHex(bytes));
        assertEquals(ref, codec.decode("golden", HexFormat.of().parseHex(GOLDEN)));
    }

    @Test
    void unknownMagicByteIsTyped() {
        AvroCodec<FrameRef> codec = new AvroCodec<>(client, FrameRef.class);
        byte[] bytes = HexFormat.of().parseHex(GOLDEN);
        bytes[0] = 1; // anything but 0
        var e = assertThrows(UnknownMagicByteException.class, () -> codec.decode("t", bytes));
        assertTrue(e.getMessage().contains("0x01"), e.getMessage());
        assertThrows(UnknownMagicByteException.class, () -> codec.decode("t", new byte[0]));
        assertThrows(UnknownMagicByteException.class, () -> codec.decode("t", "{\"json\":1}".getBytes()));
    }

    @Test
    void unknownSchemaIdIsTyped() {
        AvroCodec<FrameRef> codec = new AvroCodec<>(client, FrameRef.class);
        byte[] bytes = HexFormat.of().parseHex(GOLDEN);
        bytes[4] = 99; // id 99: never registered
        var e = assertThrows(UnknownSchemaIdException.class, () -> codec.decode("t", bytes));
        assertEquals(99, e.schemaId());
        assertTrue(e.getMessage().contains("unknown schema id 99"), e.getMessage());
    }

    @Test
    void truncatedGarbageAndTrailingPayloadsAreTyped() {
        AvroCodec<FrameRef> codec = new AvroCodec<>(client, FrameRef.class);
        byte[] good = codec.encode("golden", new FrameRef("lobby-1", 42L, java.time.Instant.ofEpochMilli(1_700_000_000_000L)));
        for (int cut = 5; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(MalformedPayloadException.class, () -> codec.decode("t", truncated), "cut at " + cut);
        }
        assertThrows(MalformedPayloadException.class, () -> codec.decode("t", new byte[]{0, 0, 0}));
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertThrows(MalformedPayloadException.class, () -> codec.decode("t", trailing));
        byte[] garbage = Arrays.copyOf(good, good.length);
        garbage[5] = (byte) 0xff; // string length becomes a huge varint
        garbage[6] = (byte) 0xff;
        assertThrows(MalformedPayloadException.class, () -> codec.decode("t", garbage));
    }

    @Test
    void aRecordOfAnotherTypeIsASchemaMismatch() {
        AvroCodec<Box> boxes = new AvroCodec<>(client, Box.class);
        byte[] box = boxes.encode("boxes", new Box(1f, 2f, 3f, 4f));
        AvroCodec<FrameRef> frames = new AvroCodec<>(client, FrameRef.class);
        assertThrows(SchemaMismatchException.class, () -> frames.decode("boxes", box));
    }

    @Test
    void encodedRecordsRoundTripWithEverySchema() {
        for (var rec : SampleRecords.all()) {
            @SuppressWarnings("unchecked")
            AvroCodec<org.apache.avro.specific.SpecificRecord> c =
                    new AvroCodec<>(client, (Class<org.apache.avro.specific.SpecificRecord>) rec.getClass());
            byte[] bytes = c.encode("rt-" + rec.getSchema().getName(), rec);
            assertArrayEquals(new byte[]{0}, Arrays.copyOf(bytes, 1));
            assertEquals(rec, c.decode("rt-" + rec.getSchema().getName(), bytes));
        }
    }

    @Test
    void schemasCarryAVersionField() {
        for (var rec : SampleRecords.all()) {
            Schema.Field f = rec.getSchema().getField("schemaVersion");
            assertTrue(f != null && f.hasDefaultValue(), rec.getSchema().getName() + " lacks schemaVersion");
        }
    }
}
