package vap.photos.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.photos.PhotoFaces;
import vap.photos.eval.EmbeddingCache;
import vap.vision.align.FaceAligner;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vap eval --cache}: embeddings made with one recognizer.embed.* setting are not read back under another. */
class EvalCacheSetupTest {
    @Test
    void aCacheWrittenWithFiveLandmarksIsNotReadBackWith68(@TempDir Path dir) {
        Settings five = Settings.of(Map.of("recognizer.embed.landmarks", "5", "recognizer.embed.mirror", "false"));
        Settings sixtyEight = Settings.of(Map.of("recognizer.embed.landmarks", "68", "recognizer.embed.mirror", "false"));
        Path file = dir.resolve("cache.tsv");

        // 1. A cache made with 5 points, no mirror (the defaults before 2026-11-30), one photo in it.
        EmbeddingCache written = new EmbeddingCache(options(false).setup(five));
        written.put("a/a_0001.jpg", new EmbeddingCache.Entry(1, new float[] {0.6f, 0.8f}));
        written.save(file);

        // 2. Read back with the same setting: the photo is there.
        EmbeddingCache same = new EmbeddingCache(options(false).setup(five));
        assertEquals(1, same.load(file));
        assertTrue(same.get("a/a_0001.jpg").isPresent());

        // 3. With 68 points (alone, or with the mirror) it is refused and nothing is read.
        for (EvalOptions o : new EvalOptions[] {options(false), options(true)}) {
            EmbeddingCache other = new EmbeddingCache(o.setup(sixtyEight));
            assertEquals(-1, other.load(file), o.setup(sixtyEight));
            assertFalse(other.get("a/a_0001.jpg").isPresent());
        }
        // 4. At today's defaults (68 points, mirror) it is refused too: the header spells both settings out.
        EmbeddingCache defaults = new EmbeddingCache(options(false).setup(Settings.empty()));
        assertEquals(-1, defaults.load(file), options(false).setup(Settings.empty()));
        assertTrue(options(false).setup(sixtyEight).endsWith(" mirror=false landmarks=68"), options(false).setup(sixtyEight));
        assertTrue(options(true).setup(sixtyEight).endsWith(" mirror=true landmarks=68"), options(true).setup(sixtyEight));
    }

    private static EvalOptions options(boolean mirror) {
        EvalOptions o = new EvalOptions();
        o.crop = PhotoFaces.CropMode.ALIGNED;
        o.faceScale = FaceAligner.DEFAULT_FACE_SCALE;
        o.mirror = mirror;
        return o;
    }
}
