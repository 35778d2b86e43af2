package vap.ingest.camera;

import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CameraFileTest {
    private static final CameraFile.Defaults DEFAULTS = new CameraFile.Defaults(5.0, Transport.TCP, false);

    @Test
    void readsTheReadmeExample() {
        String text = """
                # the README example
                lobby.url = rtsp://10.0.0.5:554/stream1
                lobby.fps = 2.5
                lobby.transport = udp
                lobby.username = viewer
                lobby.password.env = LOBBY_PASSWORD
                door.url = rtsp://admin:secret@10.0.0.6/live
                demo.url = /data/sample.mp4
                demo.loop = true
                demo.quality = 70
                webcam.url = /dev/video0
                webcam.option.video_size = 1280x720
                """;
        CameraFile.Parsed p = CameraFile.parse(text, DEFAULTS, Map.of("LOBBY_PASSWORD", "pa ss")::get);
        assertEquals(Map.of(), p.invalid());
        assertEquals(4, p.cameras().size());
        CameraSource lobby = byId(p, "lobby");
        assertEquals(2.5, lobby.fps());
        assertEquals(Transport.UDP, lobby.transport());
        assertEquals("viewer", lobby.username());
        assertEquals("pa ss", lobby.password());
        assertEquals(SourceKind.RTSP, lobby.kind());
        // Separately given credentials go into the URL FFmpeg opens, percent-encoded.
        assertEquals("rtsp://viewer:pa%20ss@10.0.0.5:554/stream1", lobby.ffmpegInput());

        CameraSource door = byId(p, "door");
        assertEquals(5.0, door.fps());
        assertEquals(Transport.TCP, door.transport());
        assertEquals("rtsp://***@10.0.0.6/live", door.displayUrl());

        CameraSource demo = byId(p, "demo");
        assertEquals(SourceKind.FILE, demo.kind());
        assertTrue(demo.loop());
        assertTrue(demo.realtime());
        assertEquals(70, demo.jpegQuality());

        CameraSource webcam = byId(p, "webcam");
        assertEquals(SourceKind.DEVICE, webcam.kind());
        assertEquals(Map.of("video_size", "1280x720"), webcam.options());
    }

    @Test
    void theReadmeExampleIsValid() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```properties") + "```properties".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        CameraFile.Parsed p = CameraFile.parse(example, DEFAULTS, Map.of("LOBBY_PASSWORD", "x-secret")::get);
        assertEquals(Map.of(), p.invalid());
        assertEquals(java.util.Set.of("lobby", "door", "parking", "demo", "webcam"), p.ids());
        assertEquals("x-secret", byId(p, "lobby").password());
        assertEquals(SourceKind.HTTP, byId(p, "parking").kind());
    }

    @Test
    void aBrokenCameraIsReportedAloneAndTheOthersAreRead() {
        String text = """
                good.url = rtsp://10.0.0.5/s
                typo.url = rtsp://10.0.0.7/s
                typo.fsp = 5
                nourl.fps = 5
                badfps.url = rtsp://10.0.0.8/s
                badfps.fps = fast
                zero.url = rtsp://10.0.0.9/s
                zero.fps = 0
                scheme.url = gopher://admin:hunter22@10.0.0.10/s
                twice.url = rtsp://a:b@10.0.0.11/s
                twice.username = c
                lonely.url = rtsp://10.0.0.12/s
                lonely.password = nouser
                envless.url = rtsp://10.0.0.13/s
                envless.username = u
                envless.password.env = NOT_SET_ANYWHERE
                bad!id.url = rtsp://10.0.0.14/s
                """;
        CameraFile.Parsed p = CameraFile.parse(text, DEFAULTS, Map.<String, String>of()::get);
        assertEquals(1, p.cameras().size());
        assertEquals("good", p.cameras().get(0).id());
        Map<String, String> bad = p.invalid();
        assertTrue(bad.get("typo").contains("unknown key 'fsp'"), bad.get("typo"));
        assertTrue(bad.get("nourl").contains("nourl.url is missing"), bad.get("nourl"));
        assertTrue(bad.get("badfps").contains("'fast' is not a number"), bad.get("badfps"));
        assertTrue(bad.get("zero").contains("must be above 0"), bad.get("zero"));
        assertTrue(bad.get("scheme").contains("gopher://***@10.0.0.10/s"), bad.get("scheme"));
        assertFalse(bad.get("scheme").contains("hunter22"), "the password must not be quoted");
        assertTrue(bad.get("twice").contains("given twice"), bad.get("twice"));
        assertTrue(bad.get("lonely").contains("needs a username"), bad.get("lonely"));
        assertTrue(bad.get("envless").contains("NOT_SET_ANYWHERE"), bad.get("envless"));
        assertTrue(bad.get("bad!id").contains("may only contain"), bad.get("bad!id"));
        assertEquals(9, bad.size());
    }

    @Test
    void disabledCamerasAreLeftOut() {
        CameraFile.Parsed p = CameraFile.parse("a.url = /x.mp4\na.enabled = false\nb.url = /y.mp4\n", DEFAULTS,
                Map.<String, String>of()::get);
        assertEquals(1, p.cameras().size());
        assertEquals("b", p.cameras().get(0).id());
    }

    @Test
    void defaultsApplyWhereTheCameraIsSilent() {
        CameraFile.Defaults d = new CameraFile.Defaults(12.0, Transport.UDP, true);
        CameraSource c = CameraFile.parse("a.url = rtsp://h/s\n", d, Map.<String, String>of()::get).cameras().get(0);
        assertEquals(12.0, c.fps());
        assertEquals(Transport.UDP, c.transport());
        assertTrue(c.loop());
        assertEquals(0, c.jpegQuality(), "0 = the service's ingest.jpeg.quality");
        assertNull(c.username());
    }

    @Test
    void aMissingFileIsAConfigurationError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> CameraFile.read(dir.resolve("nope.properties"), DEFAULTS));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path f = dir.resolve("cams.properties");
        Files.writeString(f, "x.url = rtsp://h/s\n");
        assertEquals("x", CameraFile.read(f, DEFAULTS).cameras().get(0).id());
    }

    private static CameraSource byId(CameraFile.Parsed p, String id) {
        return p.cameras().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
