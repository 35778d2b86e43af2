package vap.recognizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ../shared/testdata/faces, read in place (never copied into the repository); tests skip when it is absent. */
public final class SharedTestData {
    private SharedTestData() {
    }

    public static Path faces() {
        String dir = System.getProperty("vap.shared.dir");
        assumeTrue(dir != null, "vap.shared.dir is not set");
        Path faces = Path.of(dir, "testdata", "faces");
        assumeTrue(Files.isDirectory(faces), "shared test data not present at " + faces);
        return faces;
    }

    /** 8-bit BGR, as the detector's ImageDecoder would hand it over. */
    public static Mat bgr(Path file) {
        Mat m = imread(file.toString(), IMREAD_COLOR);
        if (m.empty()) {
            throw new IllegalStateException("OpenCV could not read " + file);
        }
        return m;
    }

    public static float[] floats(Path json) {
        try {
            return new ObjectMapper().readValue(Files.readAllBytes(json), float[].class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
