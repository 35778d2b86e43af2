package vap.detector.mtcnn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The detector against the reference outputs of face-api.js (../shared/testdata/faces/reference): the six
 * faces of faces.jpg with the tolerances that library's own tests allow.
 */
class MtcnnConformanceTest {
    private static MtcnnDetector detector;
    private static Path faces;

    @BeforeAll
    static void load() {
        String shared = System.getProperty("vap.shared.dir");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "testdata", "faces")),
                "shared test data (vap.shared.dir) is not present");
        faces = Path.of(shared, "testdata", "faces");
    }

    /**
     * The reference's own settings (its params), not our defaults, and its BGR input: face-api.js feeds the planes
     * in BGR, so only BGR can reproduce its numbers (our default, RGB, is what the networks were trained on).
     */
    private static MtcnnDetector referenceDetector(JsonNode params) {
        JsonNode t = params.get("scoreThresholds");
        return new MtcnnDetector(MtcnnConfig.defaults().withChannels(ChannelOrder.BGR)
                .withMinFaceSize(params.get("minFaceSize").asInt())
                .withScaleFactor(params.get("scaleFactor").asDouble())
                .withThresholds((float) t.get(0).asDouble(), (float) t.get(1).asDouble(), (float) t.get(2).asDouble()));
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void findsTheSixReferenceFacesWithinTolerance() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode ref = json.readTree(faces.resolve("reference/mtcnn_faces_jpg.json").toFile());
        JsonNode refLandmarks = json.readTree(faces.resolve("reference/mtcnnFaceLandmarkPositions.json").toFile());
        assertEquals(20, ref.get("params").get("minFaceSize").asInt());
        detector = referenceDetector(ref.get("params"));
        double boxTolerance = ref.get("tolerance").get("boxPx").asDouble();
        double scoreTolerance = ref.get("tolerance").get("score").asDouble();
        double landmarkTolerance = ref.get("tolerance").get("landmarkPx").asDouble();

        List<DetectedFace> found;
        try (Mat image = ImageDecoder.decode(faces.resolve("scenes/faces.jpg"))) {
            found = detector.detect(image);
        }
        assertEquals(6, found.size(), "faces found: " + found);

        List<DetectedFace> unmatched = new ArrayList<>(found);
        JsonNode boxes = ref.get("expectedBoxes_xywh");
        for (int i = 0; i < boxes.size(); i++) {
            JsonNode b = boxes.get(i);
            double x = b.get(0).asDouble();
            double y = b.get(1).asDouble();
            DetectedFace nearest = unmatched.stream()
                    .min(Comparator.comparingDouble(f -> Math.hypot(f.x1() - x, f.y1() - y))).orElseThrow();
            unmatched.remove(nearest);
            String what = "reference face " + i + " " + b + " vs " + nearest;
            assertEquals(x, nearest.x1(), boxTolerance, what);
            assertEquals(y, nearest.y1(), boxTolerance, what);
            assertEquals(b.get(2).asDouble(), nearest.width(), boxTolerance, what);
            assertEquals(b.get(3).asDouble(), nearest.height(), boxTolerance, what);
            assertEquals(ref.get("expectedScores").get(i).asDouble(), nearest.score(), scoreTolerance, what);
        }

        // Each reference landmark set belongs to the face whose first landmark is nearest to its first point.
        List<DetectedFace> unclaimed = new ArrayList<>(found);
        for (int i = 0; i < refLandmarks.size(); i++) {
            JsonNode first = refLandmarks.get(i).get(0);
            DetectedFace face = unclaimed.stream().min(Comparator.comparingDouble(f -> Math.hypot(
                    f.landmark(0).x() - first.get("x").asDouble(), f.landmark(0).y() - first.get("y").asDouble())))
                    .orElseThrow();
            unclaimed.remove(face);
            for (int j = 0; j < DetectedFace.LANDMARK_COUNT; j++) {
                JsonNode p = refLandmarks.get(i).get(j);
                Landmark actual = face.landmark(j);
                String what = "reference face " + i + " landmark " + j + " expected " + p + " got " + actual;
                assertEquals(p.get("x").asDouble(), actual.x(), landmarkTolerance, what);
                assertEquals(p.get("y").asDouble(), actual.y(), landmarkTolerance, what);
            }
        }
    }
}
