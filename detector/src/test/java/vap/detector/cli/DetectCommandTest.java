package vap.detector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vap.core.cli.VapCommand;
import vap.detector.TestPhotos;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vap detect} on a folder: annotated images, a detections file, undecodable files reported. */
class DetectCommandTest {

    @Test
    void folderInAnnotatedImagesAndDetectionsOut(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        try (Mat a = TestPhotos.sample(3, 640); Mat b = TestPhotos.shapesAndText(320, 240, 4)) {
            Files.write(in.resolve("three.jpg"), JpegEncoder.encode(a, 90));
            Files.write(in.resolve("none.jpg"), JpegEncoder.encode(b, 90));
        }
        Files.writeString(in.resolve("broken.png"), "this is no PNG");
        Files.writeString(in.resolve("readme.txt"), "not an image extension: ignored");

        Path json = dir.resolve("json");
        assertEquals(1, new CommandLine(new DetectCommand()).execute(in.toString(), "-o", json.toString()),
                "exit code 1: one file could not be decoded");
        JsonNode rows = new ObjectMapper().readTree(json.resolve("detections.json").toFile());
        assertEquals(2, rows.size(), "the two decodable images");
        for (JsonNode row : rows) {
            int expected = row.get("file").asText().endsWith("three.jpg") ? 3 : 0;
            assertEquals(expected, row.get("faces").size(), row.toString());
            for (JsonNode face : row.get("faces")) {
                assertEquals(5, face.get("landmarks").size());
                assertTrue(face.get("score").asDouble() > 0.7);
            }
        }
        try (Mat annotated = ImageDecoder.decode(json.resolve("three.faces.jpg"))) {
            assertEquals(640, annotated.cols());
        }
        assertTrue(Files.exists(json.resolve("none.faces.jpg")));

        Path csv = dir.resolve("csv");
        new CommandLine(new DetectCommand()).execute(in.resolve("three.jpg").toString(), "-o", csv.toString(),
                "--format", "csv", "--min-face-size", "40");
        List<String> lines = Files.readAllLines(csv.resolve("detections.csv"));
        assertTrue(lines.get(0).startsWith("file,face,x1,y1,x2,y2,score,lx0,ly0"), lines.get(0));
        assertEquals(1 + 3, lines.size(), "a header and one line per face: " + lines);
    }

    @Test
    void commandsAreFoundByTheLauncher() {
        List<String> names = ServiceLoader.load(VapCommand.class).stream()
                .map(p -> p.type().getAnnotation(CommandLine.Command.class).name()).toList();
        assertTrue(names.containsAll(List.of("detect", "detector")), names.toString());
        // `vap detect bench` comes from the bench module: launcher/VapCommandLineTest checks it is attached.
    }
}
