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
    void mirrorIsOffByDefault() {
        assertFalse(EmbedConfig.from(Settings.empty()).mirror(), "the shipped impostor table was measured without it");
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
    void embedderFollowsTheSetting() {
        try (FaceEmbedder mirrored = new EmbedConfig(true).embedder(new FaceEmbeddingNet(Device.cpu()), 2)) {
            assertTrue(mirrored.withMirror());
            assertEquals(2, mirrored.batchSize());
        }
    }
}
