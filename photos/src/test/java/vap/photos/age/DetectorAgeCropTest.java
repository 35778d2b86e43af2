package vap.photos.age;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.PhotoFaces;
import vap.photos.SamplePhotos;
import vap.testsupport.SharedTestData;
import vap.recognizer.age.AgeEstimator;
import vap.recognizer.age.SsrNetGraph;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSR-Net on the age crop the detector's landmarks and box give (the path every sighting's age takes). */
class DetectorAgeCropTest {
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
    void agesFromTheDetectorsAgeCropArePlausible() {
        Path scenes = SharedTestData.faces().resolve("scenes");
        AgeEstimator estimator = new AgeEstimator(graph, 2);
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED)) {
            float[] ages = new float[2];
            String[] files = {"angry_cropped.jpg", "surprised_cropped.jpg"};
            for (int i = 0; i < 2; i++) {
                List<PhotoFaces.Face> faces = photos.faces(scenes.resolve(files[i]));
                try {
                    assertEquals(1, faces.size(), files[i]);
                    ages[i] = estimator.estimate(faces.get(0).ageCrop());
                } finally {
                    faces.forEach(PhotoFaces.Face::close);
                }
            }
            System.out.printf("SSR-Net ages on the detector's 64x64 age crop (box + 0.4 margin): angry_cropped %.1f, "
                    + "surprised_cropped %.1f%n", ages[0], ages[1]);
            assertTrue(ages[0] >= 28 && ages[0] <= 50, "angry_cropped age " + ages[0]);
            assertTrue(ages[1] >= 18 && ages[1] <= 34, "surprised_cropped age " + ages[1]);
        }
    }

    @Test
    void agesOfTheSampleGroupFromTheDetectorsAgeCropArePlausible(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path group = SamplePhotos.write("sample1.jpg", 960, false, dir.resolve("group.png"));
        AgeEstimator estimator = new AgeEstimator(graph, 4);
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED)) {
            List<PhotoFaces.Face> faces = photos.faces(group);
            try {
                assertEquals(3, faces.size());
                List<Float> ages = estimator.estimate(faces.stream().map(PhotoFaces.Face::ageCrop).toList());
                System.out.println("SSR-Net ages of sample1's three adults on the detector's age crop: " + ages);
                ages.forEach(a -> assertTrue(a >= 16 && a <= 65, "age " + a));
            } finally {
                faces.forEach(PhotoFaces.Face::close);
            }
        }
    }
}
