package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vap eval detect --sources DIR}: composite faces cut from a folder of photos, one per photo. */
class FolderSourcesTest {

    @Test
    void aGroupPhotoGivesItsLargestGoodFaceAndAFacelessImageNone(@TempDir Path folder) throws IOException {
        Path group = folder.resolve("sub").resolve("group.png"); // the folder is searched recursively
        Files.createDirectories(group.getParent());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("vap-samples/sample1.jpg");
             Mat photo = ImageDecoder.decode(in.readAllBytes(), "sample1.jpg"); Mat half = new Mat();
             Mat grey = new Mat(240, 320, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            resize(photo, half, new Size(photo.cols() / 2, photo.rows() / 2), 0, 0, INTER_AREA);
            imwrite(group.toString(), half);
            imwrite(folder.resolve("empty.png").toString(), grey);
        }

        List<Composites.SourceFace> sources = DetectionSets.compositeSources(folder);
        try (MtcnnDetector detector = new MtcnnDetector(MtcnnConfig.defaults());
             Mat half = ImageDecoder.decode(group)) {
            List<DetectedFace> confident = detector.detect(half).stream().filter(f -> f.score() >= 0.99).toList();
            assertTrue(confident.size() >= 2, "sample1 at half size should show several clear faces: " + confident);
            assertEquals(1, sources.size(), "one face from the group photo, none from the grey image");
            DetectedFace chosen = sources.get(0).face();
            assertTrue(chosen.x2() - chosen.x1() >= 80 && chosen.score() >= 0.99, "not a good source: " + chosen);
            double widest = confident.stream().mapToDouble(f -> f.x2() - f.x1()).max().orElseThrow();
            assertEquals(widest, chosen.x2() - chosen.x1(), 0.1 * widest, "the largest face of the photo");
            new Composites(sources, 3).image(0).close();
        } finally {
            sources.forEach(s -> s.photo().close());
        }
    }
}
