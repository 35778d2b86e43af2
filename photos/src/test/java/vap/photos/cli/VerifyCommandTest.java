package vap.photos.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.PhotoFaces;
import vap.photos.SamplePhotos;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.index.Metric;
import vap.recognizer.watchlist.MatchThreshold;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.models.InferenceDevice;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vap verify} on the npm sample photos: each of sample1.jpg's three people cut from a colour copy is the same
 * person as in a smaller grey copy, and different from the other two, at the default (calibrated) threshold.
 */
class VerifyCommandTest {
    @Test
    void samePersonAcrossColourAndGreyCopiesDifferentPeopleApart(@TempDir Path dir) {
        Path colour = SamplePhotos.write("sample1.jpg", 900, false, dir.resolve("colour.png"));
        Path grey = SamplePhotos.write("sample1.jpg", 600, true, dir.resolve("grey.png"));
        MatchThreshold threshold = MatchThreshold.of(WatchlistConfig.defaults());
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(InferenceDevice.parse("cpu")), 4)) {
            Map<String, float[]> inColour = SamplePhotos.portraits(colour, photos, dir.resolve("c"));
            Map<String, float[]> inGrey = SamplePhotos.portraits(grey, photos, dir.resolve("g"));
            assertEquals(3, inColour.size());
            List<String> people = List.copyOf(inColour.keySet());
            for (String p : people) {
                float[] c = inColour.get(p);
                String sameInGrey = SamplePhotos.nearest(inGrey, 900.0 / 600, c[0], c[1]);
                VerifyCommand.Verdict same = VerifyCommand.verify(photos, embedder, Metric.IP, threshold,
                        portrait(dir.resolve("c"), p), portrait(dir.resolve("g"), sameInGrey));
                assertTrue(same.same(), p + " colour vs grey: " + same);
                assertEquals(threshold.at(1, 1), same.threshold());
                for (String other : people) {
                    if (!other.equals(p)) {
                        VerifyCommand.Verdict different = VerifyCommand.verify(photos, embedder, Metric.IP, threshold,
                                portrait(dir.resolve("c"), p), portrait(dir.resolve("c"), other));
                        assertFalse(different.same(), p + " vs " + other + ": " + different);
                        assertTrue(different.score() < same.score());
                    }
                }
            }
        }
    }

    private static Path portrait(Path root, String person) {
        return root.resolve(person).resolve(person + ".png");
    }
}
