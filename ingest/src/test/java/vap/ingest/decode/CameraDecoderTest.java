package vap.ingest.decode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.ingest.SilentServer;
import vap.testsupport.TestVideos;
import vap.ingest.camera.CameraSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder on real files and real sockets: frames out, and each way of failing named without secrets. */
class CameraDecoderTest {
    private static final CameraDecoder.Settings SETTINGS = new CameraDecoder.Settings(Duration.ofSeconds(2), 1);
    @TempDir
    static Path dir;
    static Path video;

    @BeforeAll
    static void makeVideo() {
        video = TestVideos.h264(dir, "clip", "320x240", 2, 25);
    }

    @Test
    void decodesEveryFrameAndEncodesRealJpeg() throws Exception {
        CameraSource c = CameraSource.of("file", video.toString()).withRealtime(false);
        int frames = 0;
        long lastTs = -1;
        byte[] jpeg = null;
        try (CameraDecoder d = new CameraDecoder(c, SETTINGS); JpegEncoder enc = new JpegEncoder(90, 0)) {
            d.open();
            assertEquals("h264", d.codecName());
            DecodedFrame f;
            while ((f = d.grab()) != null) {
                assertEquals(320, f.width());
                assertEquals(240, f.height());
                assertTrue(f.timestampUs() > lastTs, "timestamps increase");
                lastTs = f.timestampUs();
                if (frames++ == 10) {
                    jpeg = enc.encode(f);
                }
            }
        }
        assertEquals(50, frames);
        Mat img = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
        assertEquals(320, img.cols());
        assertEquals(240, img.rows());
        // testsrc2 is colourful: a blank or garbled conversion would be flat or grey.
        Scalar m = mean(img);
        assertTrue(m.get(0) > 30 || m.get(1) > 30 || m.get(2) > 30, "mean colour " + m.get(0) + "," + m.get(1) + "," + m.get(2));
    }

    @Test
    void downscalesToMaxWidthKeepingTheAspect() throws Exception {
        CameraSource c = CameraSource.of("file", video.toString()).withRealtime(false).withMaxWidth(160);
        try (CameraDecoder d = new CameraDecoder(c, SETTINGS); JpegEncoder enc = new JpegEncoder(80, 160)) {
            d.open();
            byte[] jpeg = enc.encode(d.grab());
            assertEquals(160, enc.width());
            assertEquals(120, enc.height());
            Mat img = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
            assertEquals(160, img.cols());
        }
    }

    @Test
    void rewindsAFileToLoopIt() throws Exception {
        CameraSource c = CameraSource.of("file", video.toString()).withRealtime(false);
        try (CameraDecoder d = new CameraDecoder(c, SETTINGS)) {
            d.open();
            int n = 0;
            while (d.grab() != null) {
                n++;
            }
            d.rewind();
            DecodedFrame again = d.grab();
            assertTrue(again != null && again.timestampUs() < 100_000, "back at the start after " + n + " frames");
        }
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        SourceException e = openFails(CameraSource.of("gone", dir.resolve("nope.mp4").toString()));
        assertEquals(SourceException.Kind.CONFIGURATION, e.getMessage().isEmpty() ? null : e.kind());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aFileThatIsNoVideoIsSaidSo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        SourceException e = openFails(CameraSource.of("text", text.toString()));
        assertTrue(e.kind() == SourceException.Kind.NOT_VIDEO || e.kind() == SourceException.Kind.IO, e.toString());
        assertTrue(e.getMessage().startsWith("file " + text), e.getMessage());
    }

    @Test
    void aHostThatDoesNotResolve() {
        SourceException e = openFails(CameraSource.of("far", "rtsp://admin:hunter22@no-such-camera.invalid:554/live"));
        assertEquals(SourceException.Kind.HOST_UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("rtsp://***@no-such-camera.invalid:554/live"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
    }

    @Test
    void statusDigitsInsideAPortOrAddressAreNotAStatus() {
        // A CI run once drew port 40423: "Connection to tcp://127.0.0.1:40423 ... Connection refused" was read as a 404.
        assertEquals(null, CameraDecoder.status("connection to tcp://127.0.0.1:40423?timeout=2000000 failed: connection refused"));
        assertEquals(null, CameraDecoder.status("connection to tcp://10.0.401.3:554 failed"));
        assertEquals("404", CameraDecoder.status("method describe failed: 404 not found"));
        assertEquals("401", CameraDecoder.status("method describe failed: 401 unauthorized"));
        assertEquals("403", CameraDecoder.status("server returned 403 forbidden (access denied)"));
    }

    @Test
    void aPortWhereNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CameraSource c = CameraSource.of("off", "rtsp://127.0.0.1:" + port + "/live").withCredentials("admin", "hunter22");
        SourceException e = openFails(c);
        assertEquals(SourceException.Kind.REFUSED, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
        assertFalse(e.getMessage().contains("admin"), e.getMessage());
    }

    @Test
    void aCameraThatNeverAnswersTimesOut() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            CameraSource c = CameraSource.of("mute", "rtsp://admin:hunter22@127.0.0.1:" + silent.port() + "/live");
            long t0 = System.nanoTime();
            SourceException e = openFails(c);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals(SourceException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("did not answer within 2 s"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
            assertTrue(silent.connections() >= 1, "ingest did connect");
            // Bounded by the socket timeout, not hanging: a generous bound, this is not a speed test.
            assertTrue(seconds < 30, "gave up after " + seconds + " s");
        }
    }

    private static SourceException openFails(CameraSource c) {
        try (CameraDecoder d = new CameraDecoder(c, SETTINGS)) {
            SourceException e = assertThrows(SourceException.class, d::open);
            assertNull(e.getCause(), "the JavaCV exception (which quotes the raw URL) is not attached");
            return e;
        }
    }
}
