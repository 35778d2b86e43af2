package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Where the labelled images come from: bundled labels for known photos, a user's folder, composites. */
final class DetectionSets {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");
    /** The npm sample photos whose faces the composites are cut from (the others show few upright faces). */
    private static final int[] COMPOSITE_SOURCES = {1, 2, 3, 4, 5, 6};

    private DetectionSets() {
    }

    /** The npm @vladmandic/face-api demo photos (on the classpath through the models module), hand-labelled. */
    static List<LabelledImage> samples() {
        Map<String, List<TruthFace>> labels = LabelFile.parse(resourceLines("evaldetect/samples.csv"), "samples.csv");
        List<LabelledImage> out = new ArrayList<>();
        labels.forEach((file, faces) -> out.add(new LabelledImage("samples", file,
                ImageDecoder.decode(resourceBytes("vap-samples/" + file), file), faces, true)));
        return out;
    }

    /** The shared test scenes (faces/scenes of the project's test data), with the bundled hand labels. */
    static List<LabelledImage> scenes(Path folder) {
        return labelled("scenes", folder, LabelFile.parse(resourceLines("evaldetect/scenes.csv"), "scenes.csv"));
    }

    /** A user's folder with its labels.csv. */
    static List<LabelledImage> folder(Path folder) {
        Path csv = folder.resolve(LabelFile.NAME);
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(folder + " has no " + LabelFile.NAME
                    + " (one line per face: file,x1,y1,x2,y2[,rotation])");
        }
        return labelled(folder.getFileName().toString(), folder, LabelFile.read(csv));
    }

    private static List<LabelledImage> labelled(String set, Path folder, Map<String, List<TruthFace>> labels) {
        List<LabelledImage> out = new ArrayList<>();
        labels.forEach((file, faces) -> out.add(new LabelledImage(set, file,
                ImageDecoder.decode(folder.resolve(file)), faces, true)));
        return out;
    }

    /** Every image under a folder (recursively), each known to show one face; decoded when iterated. */
    static List<Path> oneFaceImages(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(p -> IMAGE_EXTENSIONS.contains(extension(p))).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    static LabelledImage oneFace(Path folder, Path image) {
        return new LabelledImage(folder.getFileName().toString(), folder.relativize(image).toString(),
                ImageDecoder.decode(image), List.of(), false);
    }

    /**
     * The faces to paste into composites: what the reference cascade (upright, thresholds 0.6/0.7/0.7) finds in
     * the sample photos with score at least 0.99, at least 80 px, eyes level within 8 degrees. Landmarks come
     * with them, so composites know where theirs are.
     */
    static List<Composites.SourceFace> compositeSources() {
        List<Composites.SourceFace> out = new ArrayList<>();
        try (MtcnnDetector reference = referenceCascade()) {
            for (int n : COMPOSITE_SOURCES) {
                String name = "sample" + n + ".jpg";
                Mat photo = ImageDecoder.decode(resourceBytes("vap-samples/" + name), name);
                List<DetectedFace> faces = reference.detect(photo).stream().filter(DetectionSets::goodSource).toList();
                faces.forEach(f -> out.add(new Composites.SourceFace(photo, f)));
                if (faces.isEmpty()) {
                    photo.close();
                }
            }
        }
        return out;
    }

    /**
     * Composite faces from a folder of the user's photos (searched recursively), by the same rule as the built-in
     * ones, at most one per photo (the largest), so a set of portraits of chosen people (for example of one skin
     * tone group) can be compared with another under the same sizes, rolls and backgrounds.
     */
    static List<Composites.SourceFace> compositeSources(Path folder) {
        List<Composites.SourceFace> out = new ArrayList<>();
        try (MtcnnDetector reference = referenceCascade()) {
            for (Path file : oneFaceImages(folder)) {
                Mat photo = ImageDecoder.decode(file);
                reference.detect(photo).stream().filter(DetectionSets::goodSource)
                        .max(java.util.Comparator.comparingDouble(f -> f.x2() - f.x1()))
                        .ifPresentOrElse(f -> out.add(new Composites.SourceFace(photo, f)), photo::close);
            }
        }
        return out;
    }

    /** The upright cascade at the paper's thresholds, from 40 px: what picks the faces composites are made of. */
    private static MtcnnDetector referenceCascade() {
        return new MtcnnDetector(new MtcnnConfig(40, MtcnnConfig.DEFAULT_SCALE_FACTOR, 0.6f, 0.7f, 0.7f, "cpu", 0,
                64, 0));
    }

    private static boolean goodSource(DetectedFace f) {
        Landmark left = f.landmarks().get(0);
        Landmark right = f.landmarks().get(1);
        double tilt = Math.toDegrees(Math.atan2(right.y() - left.y(), right.x() - left.x()));
        return f.score() >= 0.99 && f.x2() - f.x1() >= 80 && Math.abs(tilt) <= 8;
    }

    private static List<String> resourceLines(String name) {
        return Arrays.asList(new String(resourceBytes(name), StandardCharsets.UTF_8).split("\n"));
    }

    private static byte[] resourceBytes(String name) {
        try (InputStream in = DetectionSets.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath (the sample photos come with the "
                        + "models module, fetched from npm @vladmandic/face-api@1.7.15 at build time)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
