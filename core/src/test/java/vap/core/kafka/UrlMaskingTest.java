package vap.core.kafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlMaskingTest {
    @Test
    void masksTheWholeUserInfo() {
        assertEquals("rtsp://***@10.0.0.5/live", UrlMasking.mask("rtsp://admin:secret@10.0.0.5/live"));
        assertEquals("rtsp://***@h/", UrlMasking.mask("rtsp://a:p@ss@h/"));
        assertEquals("http://***@registry:8081", UrlMasking.mask("http://svc:s3cr@t@registry:8081"));
        assertEquals("http://registry:8081/subjects", UrlMasking.mask("http://registry:8081/subjects"));
        assertEquals("a rtsp://***@x/1 and http://***@y", UrlMasking.mask("a rtsp://u:p@x/1 and http://v:q@y"));
    }

    @Test
    void masksAJdbcPasswordParameterAndUserInfo() {
        assertEquals("jdbc:postgresql://db:5432/vap?user=vap&password=***&ssl=true",
                UrlMasking.maskJdbc("jdbc:postgresql://db:5432/vap?user=vap&password=s3cr3t&ssl=true"));
        assertEquals("jdbc:postgresql://db/vap?password=***", UrlMasking.maskJdbc("jdbc:postgresql://db/vap?password=hunter2"));
        assertEquals("jdbc:postgresql://***@db/vap", UrlMasking.maskJdbc("jdbc:postgresql://vap:hunter2@db/vap"));
        assertEquals("failed: jdbc:sqlserver://db;password=***;x=1",
                UrlMasking.maskJdbc("failed: jdbc:sqlserver://db;password=hunter2;x=1"));
    }
}
