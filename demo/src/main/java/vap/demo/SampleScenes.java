package vap.demo;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The sample camera of the main job: the group photos of the npm package {@code @vladmandic/face-api}
 * (demo/sample1..6.jpg, fetched and checksum-verified by the models module's build) played as scenes with a slow
 * zoom, so consecutive frames differ the way a real camera's do. Encoded to H.264 by Debian's ffmpeg.
 */
public final class SampleScenes {
    private static final Logger log = LoggerFactory.getLogger(SampleScenes.class);

    /** One photo of the sample package shown for {@code seconds}. */
    public record Scene(String photo, double seconds) {
    }

    /** Any picture shown for {@code seconds}; null shows an empty grey frame (nobody in view). */
    public record Shot(Mat image, double seconds) {
    }

    public static final int WIDTH = 960;
    public static final int HEIGHT = 540;
    public static final int FPS = 10;

    private SampleScenes() {
    }

    /** A sample photo's bytes from the classpath. */
    public static byte[] photo(String name) {
        try (InputStream in = SampleScenes.class.getClassLoader().getResourceAsStream("vap-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sample photo " + name + " of npm package @vladmandic/face-api@1.7.15 is "
                        + "missing from the classpath; rebuild with ./vap setup");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds {@code out} (an MP4) from sample photos unless it already exists; returns its path. */
    public static Path build(List<Scene> scenes, Path out) {
        return buildShots(scenes.stream().map(s -> new Shot(imdecode(new Mat(photo(s.photo())), IMREAD_COLOR), s.seconds()))
                .toList(), out);
    }

    /** Builds {@code out} (an MP4) from the shots unless it already exists; returns its path. */
    public static Path buildShots(List<Shot> shots, Path out) {
        if (Files.exists(out)) {
            return out;
        }
        Path frames;
        try {
            Files.createDirectories(out.getParent());
            frames = Files.createTempDirectory(out.getParent(), "frames");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        for (Shot shot : shots) {
            Mat photo = shot.image() == null ? new Mat(HEIGHT, WIDTH, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                    new org.bytedeco.opencv.opencv_core.Scalar(128, 128, 128, 0)) : shot.image();
            int count = (int) Math.round(shot.seconds() * FPS);
            for (int i = 0; i < count; i++) {
                double zoom = 1.0 + 0.12 * i / Math.max(1, count - 1); // slow push-in over the scene
                Mat frame = coverAndZoom(photo, zoom);
                imwrite(frames.resolve(String.format("f%05d.jpg", n++)).toString(), frame);
            }
        }
        // Encode beside the target and move it into place, so an interrupted build is never taken for a finished one.
        Path partial = out.resolveSibling(out.getFileName() + ".partial.mp4");
        VideoEncoder.encode(frames, FPS, partial);
        try {
            Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("sample video {}: {} frames, {} s, {}x{} @ {} fps", out, n, n / FPS, WIDTH, HEIGHT, FPS);
        return out;
    }

    /** Scales the photo to cover the frame, then crops the centre, zoomed in by {@code zoom}. */
    static Mat coverAndZoom(Mat photo, double zoom) {
        double scale = Math.max((double) WIDTH / photo.cols(), (double) HEIGHT / photo.rows()) * zoom;
        int w = (int) Math.ceil(photo.cols() * scale);
        int h = (int) Math.ceil(photo.rows() * scale);
        Mat scaled = new Mat();
        resize(photo, scaled, new Size(w, h), 0, 0, INTER_AREA);
        return new Mat(scaled, new Rect((w - WIDTH) / 2, (h - HEIGHT) / 2, WIDTH, HEIGHT)).clone();
    }
}
