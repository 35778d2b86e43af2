package vap.recognizer.embed;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's recognizer.embed.* keys. */
class EmbedConfigTest {
    @Test
    void mirrorIsOnByDefault() {
        assertTrue(EmbedConfig.from(Settings.empty()).mirror(), "the default impostor table was measured with it");
        assertEquals(EmbedConfig.defaults(), EmbedConfig.from(Settings.empty()));
    }

    @Test
    void mirrorKeyTurnsItOn() {
        assertTrue(EmbedConfig.from(Settings.of(Map.of("recognizer.embed.mirror", "true"))).mirror());
        assertFalse(EmbedConfig.from(Settings.of(Map.of("recognizer.embed.mirror", "false"))).mirror());
        assertThrows(ConfigException.class,
                () -> EmbedConfig.from(Settings.of(Map.of("recognizer.embed.mirror", "sometimes"))));
    }

    @Test
    void landmarksAre68ByDefaultAndOnlyFiveOr68() {
        assertEquals(68, EmbedConfig.from(Settings.empty()).landmarks(), "the default impostor table was measured with 68");
        assertEquals(5, EmbedConfig.from(Settings.of(Map.of("recognizer.embed.landmarks", "5"))).landmarks());
        ConfigException wrong = assertThrows(ConfigException.class,
                () -> EmbedConfig.from(Settings.of(Map.of("recognizer.embed.landmarks", "7"))));
        assertTrue(wrong.getMessage().contains("recognizer.embed.landmarks"), wrong.getMessage());
        assertThrows(ConfigException.class,
                () -> EmbedConfig.from(Settings.of(Map.of("recognizer.embed.landmarks", "many"))));
        assertThrows(ConfigException.class, () -> new EmbedConfig(false, 0));
    }

    @Test
    void describeSpellsOutBothSettings() {
        assertEquals(" mirror=true landmarks=68", EmbedConfig.defaults().describe());
        assertEquals(" mirror=false landmarks=5", new EmbedConfig(false, 5).describe());
        assertEquals(" mirror=false landmarks=68", new EmbedConfig(false, 68).describe());
    }

    @Test
    void embedderFollowsTheSetting() {
        try (FaceEmbedder mirrored = new EmbedConfig(true, 5).embedder(new FaceEmbeddingNet(Device.cpu()), 2)) {
            assertTrue(mirrored.withMirror());
            assertEquals(2, mirrored.batchSize());
            assertEquals(5, mirrored.landmarks());
        }
        try (FaceEmbedder refined = new EmbedConfig(false, 68).embedder(new FaceEmbeddingNet(Device.cpu()), 3)) {
            assertFalse(refined.withMirror());
            assertEquals(68, refined.landmarks());
        }
    }
}
