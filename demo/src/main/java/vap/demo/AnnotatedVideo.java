package vap.demo;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import vap.core.serde.ByteBuffers;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.messages.Frame;
import vap.messages.Sighting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * The run as a video: each camera's published frames with every sighting drawn on them (box; name and
 * similarity for a watchlist match in green, "unknown" in amber; estimated age), as the live-camera
 * tutorial overlays its predictions.
 */
public final class AnnotatedVideo {
    private AnnotatedVideo() {
    }

    /** Writes one MP4 per camera into {@code dir}; returns the files. */
    public static List<Path> write(KafkaSettings kafka, Topics topics, Instant since, double fps, Path dir) {
        Map<String, List<Sighting>> byFrame = new HashMap<>();
        for (var s : TopicReader.readAll(kafka, topics.sightings(), Sighting.class,
                x -> !x.getFrame().getCaptureTimestamp().isBefore(since))) {
            byFrame.computeIfAbsent(key(s.value().getFrame().getCameraId(), s.value().getFrame().getSequence()),
                    k -> new java.util.ArrayList<>()).add(s.value());
        }
        Map<String, Path> frameDirs = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        try {
            Files.createDirectories(dir);
            for (var f : TopicReader.readAll(kafka, topics.frames(), Frame.class,
                    x -> !x.getCaptureTimestamp().isBefore(since))) {
                Frame frame = f.value();
                Path frames = frameDirs.computeIfAbsent(frame.getCameraId(), cam -> {
                    try {
                        return Files.createTempDirectory(dir, "frames-" + cam.replaceAll("[^A-Za-z0-9_-]", "_"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                Mat img = imdecode(new Mat(ByteBuffers.copyOf(frame.getJpeg())), IMREAD_COLOR);
                for (Sighting s : byFrame.getOrDefault(key(frame.getCameraId(), frame.getSequence()), List.of())) {
                    draw(img, s);
                }
                int n = counts.merge(frame.getCameraId(), 1, Integer::sum) - 1;
                imwrite(frames.resolve(String.format("f%05d.jpg", n)).toString(), img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> out = new java.util.ArrayList<>();
        frameDirs.forEach((cam, frames) -> {
            Path mp4 = dir.resolve("annotated-" + cam.replaceAll("[^A-Za-z0-9_-]", "_") + ".mp4");
            VideoEncoder.encode(frames, fps, mp4);
            out.add(mp4);
        });
        return out;
    }

    private static void draw(Mat img, Sighting s) {
        boolean matched = s.getMatched() && !s.getCandidates().isEmpty();
        Scalar colour = matched ? new Scalar(60, 200, 60, 0) : new Scalar(0, 180, 255, 0);
        var b = s.getBox();
        Point tl = new Point(Math.round(b.getX1()), Math.round(b.getY1()));
        Point br = new Point(Math.round(b.getX2()), Math.round(b.getY2()));
        rectangle(img, tl, br, colour, 2, LINE_AA, 0);
        String label = matched
                ? String.format(Locale.ROOT, "%s %.2f", s.getCandidates().get(0).getDisplayName(), s.getCandidates().get(0).getScore())
                : "unknown";
        String age = String.format(Locale.ROOT, "age %.0f  det %.2f", s.getAge(), s.getDetectionScore());
        putText(img, label, new Point(tl.x(), Math.max(12, tl.y() - 18)), FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, LINE_AA, false);
        putText(img, age, new Point(tl.x(), Math.max(24, tl.y() - 4)), FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, LINE_AA, false);
    }

    private static String key(String camera, long seq) {
        return camera + "#" + seq;
    }
}
