package vap.ingest.camera;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {
    @Test
    void masksTheUserInfoOfUrls() {
        assertEquals("rtsp://***@10.0.0.5/live", Redactor.maskUrl("rtsp://admin:secret@10.0.0.5/live"));
        assertEquals("rtsp://***@10.0.0.5:554/live", Redactor.maskUrl("rtsp://admin@10.0.0.5:554/live"));
        assertEquals("rtsp://10.0.0.5/live", Redactor.maskUrl("rtsp://10.0.0.5/live"));
        // FFmpeg accepts '@' in a password (it splits at the last one); so must the mask.
        assertEquals("rtsp://***@10.0.0.5/live", Redactor.maskUrl("rtsp://admin:p@ss@10.0.0.5/live"));
        assertEquals("http://cam/mjpg?user=a&password=***&x=1", Redactor.maskUrl("http://cam/mjpg?user=a&password=s3&x=1"));
        assertEquals("http://cam/live.m3u8?token=***", Redactor.maskUrl("http://cam/live.m3u8?token=abcdef"));
    }

    @Test
    void masksEveryUrlInAText() {
        String text = "Could not open input \"rtsp://admin:hunter2@10.0.0.5/a\" nor 'http://u:pw@h/b'.";
        assertEquals("Could not open input \"rtsp://***@10.0.0.5/a\" nor 'http://***@h/b'.",
                Redactor.urlsOnly().redact(text));
    }

    @Test
    void masksAKnownPasswordInAnyForm() {
        Redactor r = Redactor.forSecrets("viewer", List.of("s3cr et+/"));
        String basic = Base64.getEncoder().encodeToString("viewer:s3cr et+/".getBytes());
        String text = "raw s3cr et+/ encoded s3cr+et%2B%2F or s3cr%20et%2B%2F, header Basic " + basic;
        String out = r.redact(text);
        assertFalse(out.contains("s3cr"), out);
        assertFalse(out.contains(basic), out);
        assertTrue(out.startsWith("raw *** encoded ***"), out);
    }

    @Test
    void aCameraNeverPrintsItsPassword() {
        CameraSource c = CameraSource.of("lobby", "rtsp://10.0.0.5/live").withCredentials("viewer", "pa:ss@word");
        assertEquals("rtsp://viewer:pa%3Ass%40word@10.0.0.5/live", c.ffmpegInput());
        for (String shown : List.of(c.toString(), c.displayUrl(), c.redactor().redact("failed: " + c.ffmpegInput()))) {
            assertFalse(shown.contains("pa:ss@word"), shown);
            assertFalse(shown.contains("pa%3Ass%40word"), shown);
        }
        CameraSource inUrl = CameraSource.of("door", "rtsp://admin:hunter22@10.0.0.6/live");
        assertFalse(inUrl.toString().contains("hunter22"), inUrl.toString());
        assertEquals("FFmpeg said: *** is wrong", inUrl.redactor().redact("FFmpeg said: hunter22 is wrong"));
    }
}
