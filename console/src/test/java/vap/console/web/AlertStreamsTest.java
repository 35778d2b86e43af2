package vap.console.web;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vap.console.alerts.LiveAlert;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two browsers on a real Jetty server's event stream, one of which stops reading: the reading one still gets every
 * alert promptly, and the stalled one is disconnected and counted once it is a queue's worth behind.
 */
class AlertStreamsTest {
    private static final int QUEUE = 16;
    private static final int ALERTS = 400;
    private static final String PADDING = "x".repeat(64 * 1024); // fills the stalled socket's buffers fast

    private AlertStreams streams;
    private Javalin web;

    @BeforeEach
    void start() {
        streams = new AlertStreams(QUEUE);
        web = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.sse("/stream", client -> streams.attach(client,
                    a -> new AlertStreams.Event("alert", a.alertId() + " " + PADDING, a.alertId())));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        streams.close();
        web.stop();
    }

    @Test
    void aBrowserThatDoesNotReadIsDroppedAndDelaysNoOne() throws Exception {
        // 1. The stalled browser: connects with a small receive buffer and never reads.
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", web.port()));
        request(stalled.getOutputStream());
        // 2. The reading browser: counts the alerts it receives.
        AtomicInteger received = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var reading = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/stream"))
                .header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(line -> {
            if (line.startsWith("id: alert-") && received.incrementAndGet() == ALERTS) {
                all.countDown();
            }
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (streams.clients() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, streams.clients(), "both browsers are connected");

        // 3. Alerts arrive one after another (about 26 MB in all, far more than the stalled socket's buffers hold);
        //    each must reach the reading browser within a second whatever the stalled one does.
        long slowest = 0;
        for (int i = 1; i <= ALERTS; i++) {
            long sent = System.nanoTime();
            streams.accept(alert("alert-" + i));
            while (received.get() < i && System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(0, 200_000);
            }
            assertEquals(i, received.get(), "alert " + i + " reached the reading browser within 5 s");
            slowest = Math.max(slowest, System.nanoTime() - sent);
        }

        // 4. The reading browser got every alert promptly; the stalled one was disconnected and counted.
        assertTrue(all.await(1, TimeUnit.SECONDS));
        assertTrue(slowest < TimeUnit.SECONDS.toNanos(1), "slowest alert took " + slowest / 1_000_000 + " ms");
        assertEquals(1, streams.droppedClients(), "the stalled browser was disconnected once");
        assertEquals(1, streams.clients(), "only the reading browser is left");
        stalled.close();
        reading.cancel(true);
    }

    private static void request(OutputStream out) throws Exception {
        out.write("GET /stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static LiveAlert alert(String id) {
        return new LiveAlert(id, "p1", "Person 1", "demo", "camera-1", Instant.now(), Instant.now(), "IP", 0.9f, 30f,
                1L, 0, null, null);
    }
}
