package vap.photos.enrol;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.messages.GalleryEntry;
import vap.recognizer.FaceAnalyzer;
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.SamplePhotos;
import vap.testsupport.SharedTestData;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enrolment through the real detector: each identity enrolled from its first photo, found again from the other
 * four; once with the landmark-aligned crop (the default) and once with the padded box, to measure what
 * alignment buys. Photos with no face or several faces are refused unless a face is chosen.
 */
class EnrollerTest {
    static FaceAnalyzer analyzer;
    @TempDir
    static Path portraits;

    @BeforeAll
    static void load() {
        analyzer = new FaceAnalyzer("cpu", 8);
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    record Score(int probes, int undetected, int rank1, int trueMatches, int falseMatches) {
    }

    static Score enrolAndSearch(PhotoFaces.CropMode mode) {
        Map<Path, List<Path>> people = Enroller.peopleIn(portraits);
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), mode); Watchlist w = new Watchlist(WatchlistConfig.defaults())) {
            Enroller enroller = new Enroller(photos, analyzer.embedder(), e -> w.put(Watchlist.identityOf(e)));
            people.forEach((dir, files) -> {
                String id = dir.getFileName().toString();
                Enrolment e = enroller.enrol(id, id, "test", files.subList(0, 1), FaceChoice.ONLY);
                assertTrue(e.enrolled(), id + " not enrolled: " + e.rejected());
            });
            int probes = 0, undetected = 0, rank1 = 0, trueMatches = 0, falseMatches = 0;
            for (Map.Entry<Path, List<Path>> person : people.entrySet()) {
                String id = person.getKey().getFileName().toString();
                for (Path probe : person.getValue().subList(1, person.getValue().size())) {
                    List<PhotoFaces.Face> faces = photos.faces(probe);
                    try {
                        probes++;
                        if (faces.isEmpty()) {
                            undetected++; // counts as a miss: the end-to-end result includes the detector
                            continue;
                        }
                        assertEquals(1, faces.size(), probe + ": faces found");
                        FaceAnalyzer.FaceAnalysis a = analyzer.analyze(List.of(faces.get(0).aligned()),
                                List.of(faces.get(0).ageCrop()), w).get(0);
                        rank1 += a.candidates().get(0).identity().identityId().equals(id) ? 1 : 0;
                        for (Candidate c : a.candidates()) {
                            if (c.passes()) {
                                if (c.identity().identityId().equals(id)) {
                                    trueMatches++;
                                } else {
                                    falseMatches++;
                                }
                            }
                        }
                    } finally {
                        faces.forEach(PhotoFaces.Face::close);
                    }
                }
            }
            return new Score(probes, undetected, rank1, trueMatches, falseMatches);
        }
    }

    @Test
    void identitiesEnrolledFromOnePhotoAreFoundFromTheirOthers() {
        SharedTestData.identitiesAsPortraits(portraits); // skips without ../shared
        Score aligned = enrolAndSearch(PhotoFaces.CropMode.ALIGNED);
        Score box = enrolAndSearch(PhotoFaces.CropMode.BOX);
        System.out.printf("detector + enrol from one photo, IP threshold %.2f, %d probes (%d without a detected face): "
                        + "aligned crop rank-1 %d, true matches %d, false matches %d; padded box rank-1 %d, "
                        + "true matches %d, false matches %d%n",
                WatchlistConfig.DEFAULT_IP_THRESHOLD, aligned.probes, aligned.undetected, aligned.rank1,
                aligned.trueMatches, aligned.falseMatches, box.rank1, box.trueMatches, box.falseMatches);
        assertEquals(20, aligned.probes);
        assertTrue(aligned.undetected <= 1, "probes without a detected face: " + aligned.undetected);
        assertTrue(aligned.rank1 >= 18, "aligned rank-1 " + aligned.rank1);
        assertTrue(aligned.falseMatches <= 1, "false matches " + aligned.falseMatches);
    }

    @Test
    void photosWithNoFaceOrSeveralFacesAreRefusedUnlessAFaceIsChosen(@TempDir Path dir) {
        Path blank = dir.resolve("blank.png");
        try (Mat grey = new Mat(200, 200, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            imwrite(blank.toString(), grey);
        }
        Path group = SamplePhotos.write("sample1.jpg", 960, false, dir.resolve("group.png")); // three people
        List<GalleryEntry> published = new ArrayList<>();
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED)) {
            Enroller enroller = new Enroller(photos, analyzer.embedder(), published::add);
            Enrolment refused = enroller.enrol("x", "X", "test", List.of(blank, group), FaceChoice.ONLY);
            assertFalse(refused.enrolled());
            assertEquals("no face found", refused.rejected().get(blank));
            assertTrue(refused.rejected().get(group).contains("faces found; choose one"), refused.rejected().get(group));
            assertTrue(published.isEmpty(), "nothing is published for an identity without a usable photo");

            Enrolment chosen = enroller.enrol("y", "Y", "test", List.of(group), FaceChoice.LARGEST);
            assertTrue(chosen.enrolled());
            Enrolment second = enroller.enrol("z", "Z", "test", List.of(group), FaceChoice.index(1));
            assertTrue(second.enrolled());
            assertEquals(2, published.size());
            assertEquals(1, published.get(0).getEmbeddings().size());
            // The entry says how its embeddings were made, so a recognizer embedding otherwise can warn.
            assertEquals(analyzer.embedder().config().describe().trim(), published.get(0).getEmbedding());
            // The enrolled photo is the chosen face's 150x150 aligned chip, small enough to ride in the entry.
            for (GalleryEntry e : published) {
                byte[] jpeg = new byte[e.getPhotoJpeg().remaining()];
                e.getPhotoJpeg().duplicate().get(jpeg);
                assertTrue(jpeg.length > 1000 && jpeg.length < 20_000, e.getIdentityId() + ": " + jpeg.length + " bytes");
                try (Mat decoded = org.bytedeco.opencv.global.opencv_imgcodecs.imdecode(new Mat(jpeg),
                        org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR)) {
                    assertEquals(150, decoded.cols());
                    assertEquals(150, decoded.rows());
                }
            }
            assertFalse(published.get(0).getPhotoJpeg().equals(published.get(1).getPhotoJpeg()), "each its own face");
        }
    }

    @Test
    void peopleEnrolledFromAGroupPhotoAreFoundInASmallerCopyAndOutscoreStrangers(@TempDir Path dir) {
        Path group = SamplePhotos.write("sample1.jpg", 1200, false, dir.resolve("group.png"));
        Path smaller = SamplePhotos.write("sample1.jpg", 800, false, dir.resolve("smaller.jpg"));
        List<Path> strangers = List.of(SamplePhotos.write("sample2.jpg", 960, false, dir.resolve("s2.png")),
                SamplePhotos.write("sample5.jpg", 960, false, dir.resolve("s5.png")));
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             Watchlist w = new Watchlist(WatchlistConfig.defaults())) {
            Enroller enroller = new Enroller(photos, analyzer.embedder(), e -> w.put(Watchlist.identityOf(e)));
            Map<String, float[]> centres = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                assertTrue(enroller.enrol("p" + i, "P" + i, "test", List.of(group), FaceChoice.index(i)).enrolled());
            }
            List<PhotoFaces.Face> enrolled = photos.faces(group);
            try {
                assertEquals(3, enrolled.size(), "faces in sample1");
                for (int i = 0; i < 3; i++) {
                    var d = enrolled.get(i).detection();
                    centres.put("p" + i, new float[] {(d.x1() + d.x2()) / 2, (d.y1() + d.y2()) / 2});
                }
            } finally {
                enrolled.forEach(PhotoFaces.Face::close);
            }
            double weakestGenuine = 1;
            List<PhotoFaces.Face> probes = photos.faces(smaller);
            try {
                assertEquals(3, probes.size(), "faces in the smaller copy");
                for (PhotoFaces.Face f : probes) {
                    var d = f.detection();
                    String who = SamplePhotos.nearest(centres, 800.0 / 1200, (d.x1() + d.x2()) / 2, (d.y1() + d.y2()) / 2);
                    Candidate best = analyzer.analyze(List.of(f.aligned()), List.of(f.ageCrop()), w).get(0).candidates().get(0);
                    assertEquals(who, best.identity().identityId(), "face at " + d);
                    assertTrue(best.passes(), who + " passes: " + best.score());
                    weakestGenuine = Math.min(weakestGenuine, best.score());
                }
            } finally {
                probes.forEach(PhotoFaces.Face::close);
            }
            int strangerFaces = 0;
            double strongestStranger = -1;
            for (Path photo : strangers) {
                List<PhotoFaces.Face> faces = photos.faces(photo);
                try {
                    strangerFaces += faces.size();
                    for (PhotoFaces.Face f : faces) {
                        FaceAnalyzer.FaceAnalysis a = analyzer.analyze(List.of(f.aligned()), List.of(f.ageCrop()), w).get(0);
                        strongestStranger = Math.max(strongestStranger, a.candidates().get(0).score());
                    }
                } finally {
                    faces.forEach(PhotoFaces.Face::close);
                }
            }
            assertTrue(strangerFaces >= 4, "faces in samples 2 and 5: " + strangerFaces);
            // At 960 px one stranger of sample2 reaches 0.926 against p0, above the default 0.92: the threshold is
            // tight on these photos, so what is asserted is that every enrolled person outscores every stranger.
            System.out.printf("sample1 people in a smaller copy: weakest genuine similarity %.3f; strongest stranger %.3f%n",
                    weakestGenuine, strongestStranger);
            assertTrue(weakestGenuine > strongestStranger + 0.02,
                    "genuine " + weakestGenuine + " vs stranger " + strongestStranger);
        }
    }
}
