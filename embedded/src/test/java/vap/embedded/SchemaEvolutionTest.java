package vap.embedded;

import org.apache.avro.Schema;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vap.core.registry.SchemaRegistryClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The messages that gained fields (face tracks; the gallery's enrolled photo; the frame's motion) stay backward compatible: the registry (BACKWARD, its default)
 * accepts the current schema after the released one under the same subject.
 */
class SchemaEvolutionTest {

    @ParameterizedTest
    @ValueSource(strings = {"FaceCrop", "Sighting", "Match", "Alert", "GalleryEntry", "Frame"})
    void currentSchemaIsABackwardCompatibleNextVersion(String record, @TempDir Path dir) throws IOException {
        Schema previous = parse("/avro-previous/" + record + ".avsc");
        Schema current = parse("/avro/" + record + ".avsc");
        assertNotEquals(previous, current, record + " did not change: this test would prove nothing");
        try (SchemaRegistryServer server = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("schemas.json"))) {
            SchemaRegistryClient registry = new SchemaRegistryClient(server.url());
            String subject = "vap.t-" + record + "-value";
            // 1. The released schema is what the topic already holds.
            int released = registry.register(subject, previous);
            // 2. The registry's own check says the new one can read what was written with it.
            assertTrue(registry.isCompatible(subject, current), record + " is not backward compatible");
            // 3. And it accepts it as the next version.
            int next = registry.register(subject, current);
            assertNotEquals(released, next);
            assertEquals(2, registry.latest(subject).version());
        }
    }

    private static Schema parse(String resource) throws IOException {
        // A parser per file: the released schemas name records (FrameRef, Box, ...) that the current ones name too.
        Schema.Parser parser = new Schema.Parser();
        for (String dependency : new String[]{"FrameRef", "Box", "Point", "CropLocation", "Candidate", "FaceQuality"}) {
            try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/avro/" + dependency + ".avsc")) {
                parser.parse(in);
            }
        }
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            return parser.parse(in);
        }
    }
}
