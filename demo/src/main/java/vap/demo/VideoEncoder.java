package vap.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Turns a folder of numbered JPEG frames (f00000.jpg, ...) into an H.264 MP4 with Debian's ffmpeg. */
final class VideoEncoder {
    private VideoEncoder() {
    }

    static void encode(Path frames, double fps, Path out) {
        List<String> cmd = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-framerate", String.valueOf(fps), "-i", frames.resolve("f%05d.jpg").toString(),
                // A keyframe every second and no B-frames: RTSP clients can join at any second.
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", String.valueOf(Math.max(1, Math.round(fps))), "-bf", "0",
                out.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg could not encode " + out + ": " + output);
            }
            try (var files = Files.list(frames)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(frames);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffmpeg (Debian package ffmpeg; ./vap setup installs it): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding " + out, e);
        }
    }
}
