package vap.core.registry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With several registry URLs, a URL's credentials go to that URL only, even when the client falls over to the next. */
class RegistryCredentialsTest {

    @Test
    void eachUrlGetsOnlyItsOwnCredentials() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(auth == null ? "none" : new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8));
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        int down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = s.getLocalPort(); // nothing listens here once closed: the client falls over to the next URL
        }
        String up = "127.0.0.1:" + server.getAddress().getPort();
        try {
            new SchemaRegistryClient("http://alice:secret@127.0.0.1:" + down + ",http://" + up).subjects();
            new SchemaRegistryClient("http://127.0.0.1:" + down + ",http://bob:pw@" + up).subjects();
            new SchemaRegistryClient("http://alice:secret@127.0.0.1:" + down + ",http://" + up,
                    java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5), "shared:key").subjects();
            assertEquals(List.of("none", "bob:pw", "shared:key"), seen, "alice's password never left for another host");
        } finally {
            server.stop(0);
        }
    }
}
