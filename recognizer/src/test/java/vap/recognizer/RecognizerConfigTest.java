package vap.recognizer;

import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.recognizer.track.TrackPolicy;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The README's recognizer.* keys. */
class RecognizerConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RecognizerConfig c = RecognizerConfig.from(Settings.empty());
        assertEquals(new RecognizerConfig("cpu", 32, 16, 1, "vap-recognizer", 0, 1, Duration.ofMinutes(5),
                new TrackPolicy(5, Duration.ofSeconds(5), 2, Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f)), c);
        assertEquals(1.2f, c.track().betterBy(), "a crop 20% better than the kept one is better");
        assertEquals(0.05f, c.track().unnamedMargin(), "unnamed attempts within 0.05 (cosine) of the threshold");
    }

    @Test
    void trackKeys() {
        RecognizerConfig c = RecognizerConfig.from(Settings.of(Map.of("recognizer.track.max.embeddings", "8",
                "recognizer.track.reembed.interval", "500ms", "recognizer.track.min.faces", "3",
                "recognizer.track.close.after", "4s", "recognizer.track.idle.close.after", "1m",
                "recognizer.track.update.interval", "30s", "recognizer.track.better.by", "1.5",
                "recognizer.track.unnamed.margin", "0.1")));
        assertEquals(new TrackPolicy(8, Duration.ofMillis(500), 3, Duration.ofSeconds(4), Duration.ofMinutes(1), 0.85f,
                Duration.ofSeconds(30), 1.5f, 0.1f), c.track());
        assertEquals(Duration.ofSeconds(10), RecognizerConfig.from(Settings.empty()).track().updateInterval(),
                "open-track updates every 10 s of capture time by default");
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of(
                "recognizer.track.min.faces", "6"))), "more faces needed than kept");
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of(
                "recognizer.track.close.after", "0s"))));
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of(
                "recognizer.track.better.by", "0.8"))), "a worse crop is never better");
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of(
                "recognizer.track.unnamed.margin", "-0.1"))));
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
        assertThrows(ConfigException.class, () -> RecognizerConfig.from(Settings.of(Map.of("recognizer.intraop.threads", "-1"))));
        assertEquals(0, RecognizerConfig.from(Settings.of(Map.of("recognizer.intraop.threads", "0"))).intraOpThreads());
    }
}
