package vap.photos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Photos go through MTCNN as the detector service runs it: the detector.* settings apply. */
class PhotoFacesTest {
    static int facesIn(Path photo, Map<String, String> settings) {
        try (PhotoFaces photos = PhotoFaces.configured(Settings.of(settings), PhotoFaces.CropMode.ALIGNED)) {
            List<PhotoFaces.Face> faces = photos.faces(photo);
            faces.forEach(PhotoFaces.Face::close);
            return faces.size();
        }
    }

    @Test
    void detectorSettingsDecideWhichFacesAreFound(@TempDir Path dir) {
        // sample1 at 960 px: three faces of about 118 px; with RGB every O-Net score is above 0.999 (at 800 px:
        // 0.9999999, 0.99996, 0.99975), so the strict threshold below is 0.9999.
        Path group = SamplePhotos.write("sample1.jpg", 960, false, dir.resolve("group.png"));
        assertEquals(3, facesIn(group, Map.of()), "defaults");
        // The minimum only starts the pyramid: with RGB, P-Net's 200 px windows still catch two of the 118 px
        // faces (R-/O-Net then shrink the box to the face); from 250 px none is found.
        assertEquals(0, facesIn(group, Map.of("detector.min.face.size", "250")), "faces smaller than the minimum");
        assertEquals(0, facesIn(group, Map.of("detector.max.image.side", "64")), "image shrunk below P-Net's reach");
        int strict = facesIn(group, Map.of("detector.threshold.onet", "0.9999"));
        assertEquals(true, strict >= 1 && strict < 3, "a stricter O-Net threshold keeps fewer faces: " + strict);
    }
}
