package vap.recognizer.age;

import ai.djl.Device;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.recognizer.SampleFaces;
import vap.testsupport.SharedTestData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgeEstimatorTest {
    static SsrNetGraph graph;

    @BeforeAll
    static void load() {
        graph = new SsrNetGraph(Device.cpu());
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    @Test
    void agesOfReferenceCropsArePlausible() {
        Path scenes = SharedTestData.faces().resolve("scenes");
        Mat angry = SharedTestData.bgr(scenes.resolve("angry_cropped.jpg"));
        Mat surprised = SharedTestData.bgr(scenes.resolve("surprised_cropped.jpg"));
        AgeEstimator bgr = new AgeEstimator(graph, 2);
        List<Float> ages = bgr.estimate(List.of(angry, surprised));
        List<Float> rgbAges = new AgeEstimator(graph, 2, true).estimate(List.of(angry, surprised));
        System.out.printf("SSR-Net ages (BGR input): angry_cropped %.1f, surprised_cropped %.1f; (RGB input): %.1f, %.1f%n",
                ages.get(0), ages.get(1), rgbAges.get(0), rgbAges.get(1));
        // face-api.js's age/gender net says 36..42 and 24..28; SSR-Net is another model: plausible ranges only,
        // and the older-looking man must come out older than the young woman.
        assertTrue(ages.get(0) >= 28 && ages.get(0) <= 50, "angry_cropped age " + ages.get(0));
        assertTrue(ages.get(1) >= 18 && ages.get(1) <= 34, "surprised_cropped age " + ages.get(1));
        assertTrue(ages.get(0) > ages.get(1));
    }

    @Test
    void batchedEqualsUnbatched() {
        Path faces = SharedTestData.faces();
        List<Mat> crops = List.of(
                SharedTestData.bgr(faces.resolve("scenes/angry_cropped.jpg")),
                SharedTestData.bgr(faces.resolve("identities/amy/amy1.png")),
                SharedTestData.bgr(faces.resolve("identities/howard/howard3.png")));
        AgeEstimator estimator = new AgeEstimator(graph, 3);
        List<Float> batched = estimator.estimate(crops);
        for (int i = 0; i < crops.size(); i++) {
            assertEquals(estimator.estimate(crops.get(i)), batched.get(i), 1e-3, "crop " + i);
        }
    }

    @Test
    void agesOfTheSamplePhotosAdultsArePlausibleBatchedOrNot() {
        List<Mat> crops = new ArrayList<>();
        for (String photo : List.of("sample1.jpg", "sample5.jpg")) {
            SampleFaces.faces(photo).forEach(f -> crops.add(f.ageCrop()));
        }
        AgeEstimator estimator = new AgeEstimator(graph, 4);
        List<Float> ages = estimator.estimate(crops);
        System.out.println("SSR-Net ages of the sample photos' adults (age crops cut at recorded detections): " + ages);
        for (int i = 0; i < crops.size(); i++) {
            assertTrue(ages.get(i) >= 16 && ages.get(i) <= 65, "face " + i + " age " + ages.get(i));
            assertEquals(estimator.estimate(crops.get(i)), ages.get(i), 1e-3, "crop " + i);
        }
    }
}
