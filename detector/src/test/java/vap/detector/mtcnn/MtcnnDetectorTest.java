package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.TestPhotos;
import vap.vision.face.DetectedFace;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cascade on images made here or fetched by the build: faces where there are faces, none where not. */
class MtcnnDetectorTest {
    private static MtcnnDetector detector;

    @BeforeAll
    static void load() {
        detector = new MtcnnDetector(MtcnnConfig.defaults());
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void findsNoFacesInImagesWithoutFaces() {
        List<Mat> images = List.of(TestPhotos.noise(640, 480, 1), TestPhotos.gradient(640, 480),
                TestPhotos.shapesAndText(640, 480, 2), TestPhotos.shapesAndText(800, 450, 3));
        try {
            for (int i = 0; i < images.size(); i++) {
                assertEquals(List.of(), detector.detect(images.get(i)), "face-free image " + i);
            }
        } finally {
            images.forEach(Mat::close);
        }
    }

    @Test
    void findsTheFacesOfTheSamplePhotos() {
        for (int n = 1; n <= 6; n++) {
            try (Mat photo = TestPhotos.sample(n, 800)) {
                List<DetectedFace> faces = detector.detect(photo);
                assertEquals(TestPhotos.SAMPLE_FACES[n - 1], faces.size(), "sample" + n + ": " + faces);
                for (DetectedFace f : faces) {
                    assertTrue(f.score() > MtcnnConfig.DEFAULT_ONET_THRESHOLD, f.toString());
                    // Landmarks lie inside their (square) box, eyes above the mouth.
                    f.landmarks().forEach(p -> assertTrue(p.x() >= f.x1() && p.x() <= f.x2()
                            && p.y() >= f.y1() && p.y() <= f.y2(), "landmark outside its box: " + f));
                    assertTrue(f.landmark(DetectedFace.LEFT_EYE).y() < f.landmark(DetectedFace.MOUTH_LEFT).y());
                    assertEquals(f.width(), f.height(), 0.01, "boxes are square");
                }
            }
        }
    }

    @Test
    void batchOfFramesGivesWhatEachFrameGivesAlone() {
        List<Mat> frames = new ArrayList<>();
        try {
            // Two sizes, so both the stacked P-Net pass and the per-size grouping are exercised.
            for (int n : new int[]{1, 3, 5}) {
                frames.add(TestPhotos.sample(n, 640));
            }
            frames.add(TestPhotos.shapesAndText(640, 427, 9));
            frames.add(TestPhotos.sample(6, 500));
            List<List<DetectedFace>> batched = detector.detectBatch(frames);
            assertEquals(frames.size(), batched.size());
            for (int i = 0; i < frames.size(); i++) {
                List<DetectedFace> alone = detector.detect(frames.get(i));
                assertEquals(alone.size(), batched.get(i).size(), "frame " + i);
                for (int j = 0; j < alone.size(); j++) {
                    DetectedFace a = alone.get(j);
                    DetectedFace b = batched.get(i).get(j);
                    assertEquals(a.x1(), b.x1(), 0.5, "frame " + i + " face " + j);
                    assertEquals(a.y2(), b.y2(), 0.5, "frame " + i + " face " + j);
                    assertEquals(a.score(), b.score(), 1e-3, "frame " + i + " face " + j);
                }
            }
        } finally {
            frames.forEach(Mat::close);
        }
    }

    @Test
    void oneDetectorServesSeveralThreadsAtOnce() throws Exception {
        List<Mat> photos = List.of(TestPhotos.sample(1, 480), TestPhotos.sample(3, 480), TestPhotos.sample(6, 480));
        try {
            List<List<DetectedFace>> expected = new ArrayList<>();
            for (Mat p : photos) {
                expected.add(detector.detect(p));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<List<DetectedFace>>> running = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (Mat p : photos) {
                        running.add(pool.submit(() -> detector.detect(p)));
                    }
                }
                for (int i = 0; i < running.size(); i++) {
                    List<DetectedFace> got = running.get(i).get();
                    List<DetectedFace> want = expected.get(i % photos.size());
                    assertEquals(want.size(), got.size(), "call " + i);
                    for (int j = 0; j < want.size(); j++) {
                        assertEquals(want.get(j).x1(), got.get(j).x1(), 0.01, "call " + i + " face " + j);
                        assertEquals(want.get(j).score(), got.get(j).score(), 1e-4, "call " + i + " face " + j);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            photos.forEach(Mat::close);
        }
    }

    @Test
    void downscalesLargeImagesAndReportsOriginalCoordinates() {
        try (Mat photo = TestPhotos.sample(3, 600); Mat large = new Mat(); Size size = new Size(2400,
                (int) Math.round(photo.rows() * 4.0))) {
            resize(photo, large, size, 0, 0, INTER_LINEAR);
            List<DetectedFace> small = detector.detect(photo);
            try (MtcnnDetector limited = new MtcnnDetector(MtcnnConfig.defaults().withMaxImageSide(600))) {
                List<DetectedFace> big = limited.detect(large);
                assertEquals(small.size(), big.size(), "same faces after the 4x image is shrunk back to 600 px");
                for (DetectedFace expected : small) {
                    DetectedFace actual = big.stream().min(java.util.Comparator.comparingDouble(
                            f -> Math.abs(f.x1() - 4 * expected.x1()) + Math.abs(f.y1() - 4 * expected.y1())))
                            .orElseThrow();
                    assertEquals(expected.x1() * 4, actual.x1(), 4.0, "x1 in the 2400 px image");
                    assertEquals(expected.y1() * 4, actual.y1(), 4.0, "y1 in the 2400 px image");
                    assertEquals(expected.x2() * 4, actual.x2(), 4.0, "x2 in the 2400 px image");
                    // Landmarks sit in the box O-Net saw (R-Net's box, cut to whole pixels), so the two resamplings
                    // of the photo may move them by a working pixel more than the final boxes: 6 px of 2400.
                    assertEquals(expected.landmark(2).x() * 4, actual.landmark(2).x(), 6.0, "nose x");
                }
            }
        }
    }

    @Test
    void rejectsFramesThatAreNotEightBitBgr() {
        try (Mat grey = new Mat(100, 100, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> detector.detect(grey));
            assertTrue(e.getMessage().contains("CV_8UC3"), e.getMessage());
        }
    }

    @Test
    void pyramidStartsAtTwelveOverMinFaceAndStopsAtTwelvePixels() {
        List<Double> scales = PyramidStage.pyramidScales(640, 480, 40, 0.709);
        assertEquals(0.3, scales.get(0), 1e-9);
        assertTrue(480 * scales.get(scales.size() - 1) >= 12);
        assertTrue(480 * scales.get(scales.size() - 1) * 0.709 < 12);
    }
}
