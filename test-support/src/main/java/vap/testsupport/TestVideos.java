package vap.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test videos made by Debian's ffmpeg (testsrc2, H.264 without B-frames, one key frame a second). */
public final class TestVideos {
    public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    private TestVideos() {
    }

    /** An H.264 MP4 of {@code seconds} at {@code fps}, {@code size} like "320x240"; made once per path. */
    public static Path h264(Path dir, String name, String size, int seconds, int fps) {
        Path f = dir.resolve(name + ".mp4");
        if (Files.exists(f)) {
            return f;
        }
        run(FFMPEG.toString(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + size + ":rate=" + fps + ":duration=" + seconds, "-c:v", "libx264", "-preset",
                "ultrafast", "-g", Integer.toString(fps), "-bf", "0", "-pix_fmt", "yuv420p", f.toString());
        return f;
    }

    /** Runs Debian's ffmpeg with these arguments; fails if it is missing or fails. */
    public static void run(String... cmd) {
        if (!Files.isExecutable(FFMPEG)) {
            throw new IllegalStateException("the tests make their videos with Debian's ffmpeg: apt-get install ffmpeg");
        }
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
