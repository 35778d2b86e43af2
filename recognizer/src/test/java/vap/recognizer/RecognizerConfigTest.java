package vap.recognizer;

import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The README's recognizer.* keys. */
class RecognizerConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RecognizerConfig c = RecognizerConfig.from(Settings.empty());
        assertEquals(new RecognizerConfig("cpu", 32, 16, 1, "vap-recognizer", 0, Duration.ofMinutes(5),
                vap.recognizer.track.TrackPolicy.defaults()), c);
    }

    @Test
    void groupIdUnderItsNewAndItsOldName() {
        assertEquals("r1", RecognizerConfig.from(Settings.of(Map.of("recognizer.group.id", "r1"))).groupId());
        assertEquals("r0", RecognizerConfig.from(Settings.of(Map.of("recognizer.group", "r0"))).groupId());
        assertEquals("r1", RecognizerConfig.from(Settings.of(Map.of("recognizer.group", "r0",
                "recognizer.group.id", "r1"))).groupId());
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of("recognizer.threads", "0"))));
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of("recognizer.faiss.threads", "-1"))));
    }
}
