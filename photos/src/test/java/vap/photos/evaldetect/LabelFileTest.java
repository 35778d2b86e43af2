package vap.photos.evaldetect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented labels.csv format. */
class LabelFileTest {

    @Test
    void readsFacesRollsAndFaceFreeImages() {
        Map<String, List<TruthFace>> labels = LabelFile.parse(List.of("file,x1,y1,x2,y2,rotation", "# a comment",
                "a.jpg,10,20,110,120", "a.jpg,200,20,300,120,30", "empty.png"), "test");
        assertEquals(List.of("a.jpg", "empty.png"), List.copyOf(labels.keySet()));
        assertEquals(2, labels.get("a.jpg").size());
        assertEquals(100, labels.get("a.jpg").get(0).side(), 1e-9);
        // A square of side s rolled 30 degrees has a box s (cos 30 + sin 30) wide.
        assertEquals(100 / (Math.cos(Math.PI / 6) + 0.5), labels.get("a.jpg").get(1).side(), 1e-9);
        assertEquals(List.of(), labels.get("empty.png"));
    }

    @Test
    void readsTheToneGroup() {
        Map<String, List<TruthFace>> labels = LabelFile.parse(List.of("a.jpg,10,20,110,120,0,brown",
                "a.jpg,200,20,300,120,5"), "test");
        assertEquals("brown", labels.get("a.jpg").get(0).tone());
        assertEquals("", labels.get("a.jpg").get(1).tone());
        DetectionScore score = new DetectionScore();
        try (LabelledImage image = new LabelledImage("test", "a.jpg", new org.bytedeco.opencv.opencv_core.Mat(),
                labels.get("a.jpg"), true)) {
            score.add(image, List.of());
        }
        assertEquals(List.of("brown"), List.copyOf(score.toneFacesFound.keySet()), "unlabelled faces form no group");
        assertEquals(1, score.toneFacesFound.get("brown")[0]);
        assertEquals(0, score.toneFacesFound.get("brown")[1]);
    }

    @Test
    void badLinesNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelFile.parse(List.of("a.jpg,1,2,3"), "labels.csv"));
        assertTrue(e.getMessage().contains("labels.csv line 1"), e.getMessage());
    }

    @Test
    void theBundledLabelsParse() {
        List<LabelledImage> samples = DetectionSets.samples();
        samples.forEach(LabelledImage::close);
        assertEquals(6, samples.size());
        assertTrue(samples.stream().flatMap(i -> i.faces().stream()).noneMatch(f -> f.tone().isEmpty()),
                "every bundled face has a tone group");
    }
}
