package vap.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
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

    /**
     * The identities' photos are tight 150x150 face chips, which MTCNN cannot find (the face touches the borders);
     * written into {@code dir} on a canvas with a grey margin of half their size, one folder per person, they
     * look like portraits and go through the detector like any photo.
     */
    public static Path identitiesAsPortraits(Path dir) {
        Path root = faces().resolve("identities");
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.sorted().toList()) {
                Path out = Files.createDirectories(dir.resolve(person.getFileName().toString()));
                try (Stream<Path> photos = Files.list(person)) {
                    for (Path photo : photos.sorted().toList()) {
                        try (Mat chip = bgr(photo); Mat canvas = new Mat()) {
                            int m = chip.cols() / 2;
                            copyMakeBorder(chip, canvas, m, m, m, m, BORDER_CONSTANT, new Scalar(110, 110, 110, 0));
                            imwrite(out.resolve(photo.getFileName().toString()).toString(), canvas);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static float[] floats(Path json) {
        try {
            return new ObjectMapper().readValue(Files.readAllBytes(json), float[].class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
