package vap.detector.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vap.core.cli.ProgressBar;
import vap.core.config.Settings;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.service.DetectorConfig;
import vap.core.cli.VapCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code vap detect}: faces in an image or a folder of images. Writes each image annotated (boxes, scores,
 * landmarks) as JPEG into the output folder, plus detections.json or detections.csv. Undecodable files are
 * reported and skipped (exit code 1 if there was any).
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detect faces (MTCNN) in an image or a folder: annotated images and a JSON/CSV of detections.")
public final class DetectCommand implements VapCommand {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE_OR_FOLDER", description = "An image file or a folder.")
    Path input;
    @Option(names = {"-o", "--output"}, description = "Folder for annotated images and the detections file "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "detections")
    Path output;
    @Option(names = "--format", description = "json or csv (default: ${DEFAULT-VALUE}).", defaultValue = "json")
    String format;
    @Option(names = "--min-face-size", description = "Smallest face side in pixels (detector.min.face.size).")
    Integer minFaceSize;
    @Option(names = "--device", description = "cpu, gpu or gpu:N (detector.device).")
    String device;
    @Option(names = {"-c", "--config"}, description = "Properties file with detector.* keys.")
    Path configFile;
    @Option(names = {"-D", "--set"}, description = "Any detector.* key=value, e.g. -D detector.threshold.onet=0.9.")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (input == null) {
            System.err.println("detect: give an image or a folder (or 'vap detect bench' for the benchmark)");
            return 2;
        }
        if (!format.equals("json") && !format.equals("csv")) {
            System.err.println("detect: --format must be json or csv, not " + format);
            return 2;
        }
        List<Path> images = imagesIn(input);
        if (images.isEmpty()) {
            System.err.println("detect: no images (" + String.join(", ", IMAGE_EXTENSIONS) + ") in " + input);
            return 2;
        }
        Files.createDirectories(output);
        List<ImageResult> results = new ArrayList<>();
        int failed = 0;
        try (MtcnnDetector detector = new MtcnnDetector(mtcnnConfig());
             ProgressBar progress = images.size() > 1 ? new ProgressBar(System.err, "detect", images.size()) : null) {
            for (Path image : images) {
                try (Mat bgr = ImageDecoder.decode(image)) {
                    List<DetectedFace> faces = detector.detect(bgr);
                    results.add(new ImageResult(image.toString(), bgr.cols(), bgr.rows(), faces));
                    Annotator.draw(bgr, faces);
                    Files.write(output.resolve(annotatedName(image)), JpegEncoder.encode(bgr, 90));
                } catch (ImageDecodeException e) {
                    failed++;
                    System.err.println("detect: skipped " + e.getMessage());
                }
                if (progress != null) {
                    progress.step(image.getFileName().toString());
                }
            }
        }
        Path table = output.resolve("detections." + format);
        if (format.equals("json")) {
            writeJson(results, table);
        } else {
            writeCsv(results, table);
        }
        int faces = results.stream().mapToInt(r -> r.faces().size()).sum();
        System.err.printf(Locale.ROOT, "detect: %d face(s) in %d image(s)%s; annotated images and %s in %s%n", faces,
                results.size(), failed > 0 ? ", " + failed + " file(s) not decodable" : "", table.getFileName(),
                output);
        return failed > 0 ? 1 : 0;
    }

    private MtcnnConfig mtcnnConfig() {
        Settings s = Settings.load(configFile).with(extra);
        if (minFaceSize != null) {
            s = s.with("detector.min.face.size", minFaceSize.toString());
        }
        if (device != null) {
            s = s.with("detector.device", device);
        }
        return DetectorConfig.from(s).mtcnn();
    }

    /** The image files under a folder, or the file itself (also the input of {@code vap detect bench}). */
    public static List<Path> imagesIn(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> files = Files.list(input)) {
            return files.filter(Files::isRegularFile).filter(p -> IMAGE_EXTENSIONS.contains(extension(p))).sorted()
                    .toList();
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String annotatedName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot < 0 ? name : name.substring(0, dot)) + ".faces.jpg";
    }

    record ImageResult(String file, int width, int height, List<DetectedFace> faces) {
    }

    static void writeJson(List<ImageResult> results, Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ImageResult r : results) {
            List<Map<String, Object>> faces = new ArrayList<>();
            for (DetectedFace f : r.faces()) {
                Map<String, Object> face = new LinkedHashMap<>();
                face.put("x1", f.x1());
                face.put("y1", f.y1());
                face.put("x2", f.x2());
                face.put("y2", f.y2());
                face.put("score", f.score());
                face.put("landmarks", f.landmarks().stream().map(p -> List.of(p.x(), p.y())).toList());
                faces.add(face);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", r.file());
            row.put("width", r.width());
            row.put("height", r.height());
            row.put("faces", faces);
            rows.add(row);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), rows);
    }

    static void writeCsv(List<ImageResult> results, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            StringBuilder header = new StringBuilder("file,face,x1,y1,x2,y2,score");
            for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
                header.append(",lx").append(i).append(",ly").append(i);
            }
            w.println(header);
            for (ImageResult r : results) {
                for (int j = 0; j < r.faces().size(); j++) {
                    DetectedFace f = r.faces().get(j);
                    StringBuilder line = new StringBuilder(csvField(r.file())).append(',').append(j);
                    for (float v : new float[]{f.x1(), f.y1(), f.x2(), f.y2(), f.score()}) {
                        line.append(',').append(String.format(Locale.ROOT, "%.4f", v));
                    }
                    for (Landmark p : f.landmarks()) {
                        line.append(String.format(Locale.ROOT, ",%.2f,%.2f", p.x(), p.y()));
                    }
                    w.println(line);
                }
            }
        }
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
