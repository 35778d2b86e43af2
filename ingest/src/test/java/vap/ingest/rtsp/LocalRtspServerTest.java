package vap.ingest.rtsp;

import vap.playout.LocalRtspServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.testsupport.TestVideos;
import vap.ingest.camera.CameraSource;
import vap.ingest.camera.Transport;
import vap.ingest.decode.CameraDecoder;
import vap.ingest.decode.DecodedFrame;
import vap.ingest.decode.SourceException;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RTSP test server the pipeline's tests and demos use: real GStreamer, read by the real decoder. */
class LocalRtspServerTest {
    private static final CameraDecoder.Settings SETTINGS = new CameraDecoder.Settings(Duration.ofSeconds(3), 1);
    @TempDir
    static Path dir;
    static LocalRtspServer server;
    static Path clip;

    @BeforeAll
    static void start() {
        assertEquals(java.util.Optional.empty(), LocalRtspServer.unavailableReason());
        clip = TestVideos.h264(dir, "short", "320x240", 2, 25);
        server = LocalRtspServer.builder()
                .mount("/a", clip)
                .mount("b", TestVideos.h264(dir, "other", "160x120", 2, 10))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesEachMountOverTcpAndUdpAndLoopsPastTheEndOfTheFile() throws Exception {
        assertTrue(server.url("/a").matches("rtsp://127\\.0\\.0\\.1:\\d+/a"), server.url("/a"));
        // 3 s of a 2 s file: only a loop gets there.
        assertTrue(framesFor(CameraSource.of("a", server.url("/a")), 320, Duration.ofSeconds(3)) >= 50);
        assertTrue(framesFor(CameraSource.of("b", server.url("b")).withTransport(Transport.UDP), 160,
                Duration.ofSeconds(1)) >= 5);
    }

    @Test
    void anUnknownPathIsNotFound() {
        SourceException e = assertThrows(SourceException.class,
                () -> framesFor(CameraSource.of("x", server.url("/a").replace("/a", "/nope")), 0, Duration.ZERO));
        assertEquals(SourceException.Kind.NOT_FOUND, e.kind(), e.getMessage());
    }

    @Test
    void servesAgainOnTheSamePortAfterAKill() throws Exception {
        try (LocalRtspServer s = LocalRtspServer.builder().mount("/cam", clip).start()) {
            int port = s.port();
            s.kill();
            assertFalse(s.isRunning());
            assertThrows(SourceException.class, () -> framesFor(CameraSource.of("c", s.url("/cam")), 0, Duration.ZERO));
            s.start();
            assertEquals(port, s.port());
            assertTrue(framesFor(CameraSource.of("c", s.url("/cam")), 320, Duration.ofMillis(500)) > 0);
        }
    }

    @Test
    void requiresCredentialsWhenConfiguredSo() throws Exception {
        try (LocalRtspServer s = LocalRtspServer.builder().mount("/locked", clip).credentials("viewer", "s3cret!").start()) {
            SourceException none = assertThrows(SourceException.class,
                    () -> framesFor(CameraSource.of("n", s.url("/locked")), 0, Duration.ZERO));
            assertEquals(SourceException.Kind.UNAUTHORIZED, none.kind(), none.getMessage());
            assertTrue(none.getMessage().contains("requires credentials"), none.getMessage());
            SourceException wrong = assertThrows(SourceException.class, () -> framesFor(
                    CameraSource.of("w", s.url("/locked")).withCredentials("viewer", "guess"), 0, Duration.ZERO));
            assertTrue(wrong.getMessage().contains("refused the credentials"), wrong.getMessage());
            assertTrue(framesFor(CameraSource.of("r", s.url("/locked")).withCredentials("viewer", "s3cret!"), 320,
                    Duration.ofMillis(300)) > 0);
            assertTrue(framesFor(CameraSource.of("u", s.urlWithCredentials("/locked")), 320, Duration.ofMillis(300)) > 0);
        }
    }

    /** Opens the camera and counts frames for {@code d}; each frame must be {@code width} wide. */
    private static int framesFor(CameraSource c, int width, Duration d) throws SourceException {
        try (CameraDecoder dec = new CameraDecoder(c, SETTINGS)) {
            dec.open();
            long end = System.nanoTime() + d.toNanos();
            int n = 0;
            do {
                DecodedFrame f = dec.grab();
                assertNotNull(f, "the stream ended after " + n + " frames");
                assertEquals(width, f.width());
                n++;
            } while (System.nanoTime() < end);
            return n;
        }
    }
}
