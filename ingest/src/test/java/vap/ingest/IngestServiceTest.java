package vap.ingest;

import vap.testsupport.KafkaStack;
import vap.testsupport.Await;
import vap.testsupport.TestVideos;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;
import vap.testsupport.KafkaStack.FrameRecord;
import vap.ingest.health.CameraState;
import vap.playout.LocalRtspServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest end to end against real components: GStreamer's RTSP server ({@link LocalRtspServer}), the embedded
 * KRaft broker and schema registry, Debian ffmpeg's test videos. Each test publishes to its own topic prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestServiceTest {
    @TempDir
    static Path dir;
    KafkaStack kafka;
    LocalRtspServer rtsp;
    Path clip;

    @BeforeAll
    void start() {
        kafka = new KafkaStack(dir.resolve("kafka"));
        clip = TestVideos.h264(dir, "clip", "320x240", 4, 25);
        rtsp = LocalRtspServer.builder().mount("/a", clip).mount("/b", clip).start();
    }

    @AfterAll
    void stop() {
        if (rtsp != null) {
            rtsp.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Test settings: short timeouts so failures show within seconds, and a topic prefix of the test's own. */
    private Settings settings(String prefix, Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("registry.url", kafka.registryUrl());
        m.put("topics.prefix", prefix);
        m.put("ingest.socket.timeout", "2s");
        m.put("ingest.stall.timeout", "4s");
        m.put("ingest.backoff.initial", "500ms");
        m.put("ingest.backoff.max", "2s");
        m.putAll(more);
        kafka.createTopic(prefix + "frames", 4);
        return Settings.of(m);
    }

    private IngestService start(Settings s) {
        return new IngestService(IngestConfig.from(s), vap.core.kafka.KafkaSettings.from(s), null).start();
    }

    private static CameraStatus camera(IngestService ingest, String id) {
        return ingest.status().camera(id).orElseThrow(() -> new AssertionError("no camera " + id));
    }

    private static void awaitState(IngestService ingest, String id, Duration within, CameraState... states) {
        Set<CameraState> wanted = Set.of(states);
        Await.until(within, () -> ingest.status().camera(id).map(c -> wanted.contains(c.state())).orElse(false),
                () -> id + ": " + ingest.status().camera(id).map(c -> c.state() + " " + c.detail()).orElse("absent"));
    }

    @Test
    void framesArriveInOrderPerCameraAtTheConfiguredRate() {
        Settings s = settings("rate.", Map.of(
                "ingest.camera.tcp5.url", rtsp.url("/a"), "ingest.camera.tcp5.fps", "5",
                "ingest.camera.udp2.url", rtsp.url("/b"), "ingest.camera.udp2.fps", "2",
                "ingest.camera.udp2.transport", "udp"));
        // Step 1: run two cameras for a while.
        try (IngestService ingest = start(s)) {
            awaitState(ingest, "tcp5", Duration.ofSeconds(20), CameraState.STREAMING);
            awaitState(ingest, "udp2", Duration.ofSeconds(20), CameraState.STREAMING);
            Await.until(Duration.ofSeconds(30), () -> camera(ingest, "udp2").published() >= 16
                    && camera(ingest, "tcp5").published() >= 40, () -> ingest.status().render());
            for (String id : List.of("tcp5", "udp2")) {
                CameraStatus c = camera(ingest, id);
                assertEquals(0, c.droppedTotal(), id + " dropped frames: " + c.dropped());
                assertTrue(c.decoded() > c.published(), "every frame decoded, fewer published: " + c);
            }
        }
        // Step 2: read the topic back.
        Map<String, List<FrameRecord>> byCamera = kafka.frames("rate.frames").stream()
                .collect(Collectors.groupingBy(FrameRecord::key));
        assertEquals(Set.of("tcp5", "udp2"), byCamera.keySet());
        Map<String, Double> fps = Map.of("tcp5", 5.0, "udp2", 2.0);
        byCamera.forEach((id, records) -> {
            // Step 3: one partition per camera, in order, sequence +1 per frame, timestamps increasing.
            assertEquals(1, records.stream().map(FrameRecord::partition).distinct().count(), id + " spans partitions");
            records.sort(Comparator.comparingLong(FrameRecord::offset));
            for (int i = 1; i < records.size(); i++) {
                assertEquals(records.get(i - 1).frame().getSequence() + 1, records.get(i).frame().getSequence(), id);
                assertFalse(records.get(i).frame().getCaptureTimestamp()
                        .isBefore(records.get(i - 1).frame().getCaptureTimestamp()), id);
            }
            // Sequence = session start in ms x 1000 + frames sent, unique across runs.
            long firstSeq = records.get(0).frame().getSequence();
            assertEquals(0, firstSeq % 1000);
            assertTrue(Math.abs(firstSeq / 1000 - records.get(0).frame().getCaptureTimestamp().toEpochMilli()) < 60_000);
            // Step 4: the rate. Never above the target; evenly spaced around it.
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < records.size(); i++) {
                gaps.add(records.get(i).frame().getCaptureTimestamp().toEpochMilli()
                        - records.get(i - 1).frame().getCaptureTimestamp().toEpochMilli());
            }
            gaps.sort(Long::compare);
            double expectedGap = 1000 / fps.get(id);
            long median = gaps.get(gaps.size() / 2);
            assertTrue(Math.abs(median - expectedGap) <= expectedGap * 0.25, id + ": median gap " + median + " ms");
            double seconds = (records.get(records.size() - 1).frame().getCaptureTimestamp().toEpochMilli()
                    - records.get(0).frame().getCaptureTimestamp().toEpochMilli()) / 1000.0;
            double rate = (records.size() - 1) / seconds;
            assertTrue(rate <= fps.get(id) * 1.05, id + ": " + rate + " fps");
            // Step 5: the payload is a real 320x240 JPEG.
            FrameRecord r = records.get(records.size() / 2);
            assertEquals(id, r.frame().getCameraId());
            assertEquals(320, r.frame().getWidth());
            byte[] jpeg = new byte[r.frame().getJpeg().remaining()];
            r.frame().getJpeg().duplicate().get(jpeg);
            Mat img = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
            assertEquals(320, img.cols());
            assertEquals(240, img.rows());
            // Step 6: every frame carries its motion: all new for the session's first, then testsrc2's moving parts.
            assertEquals(1.0f, records.get(0).frame().getMotion(), id);
            List<Float> motion = records.stream().skip(1).map(f -> f.frame().getMotion()).toList();
            assertTrue(motion.stream().allMatch(m -> m != null && m >= 0 && m <= 1), id + ": " + motion);
            assertTrue(motion.stream().anyMatch(m -> m > 0), id + ": " + motion);
        });
    }

    @Test
    void resumesWhenTheRtspServerHangsOrIsKilledAndRestarted() throws Exception {
        try (LocalRtspServer flaky = LocalRtspServer.builder().mount("/cam", clip).start()) {
            Settings s = settings("flaky.", Map.of(
                    "ingest.camera.tcp.url", flaky.url("/cam"),
                    "ingest.camera.udp.url", flaky.url("/cam"), "ingest.camera.udp.transport", "udp"));
            try (IngestService ingest = start(s)) {
                // Step 1: both stream.
                for (String id : List.of("tcp", "udp")) {
                    awaitState(ingest, id, Duration.ofSeconds(20), CameraState.STREAMING);
                }
                Await.until(Duration.ofSeconds(20), () -> camera(ingest, "tcp").published() >= 5
                        && camera(ingest, "udp").published() >= 5, () -> ingest.status().render());
                // Step 2: the server hangs (SIGSTOP): connections stay open, nothing arrives. Only timeouts can
                // tell; FFmpeg gives up silently (a null frame), which ingest must turn into a reconnect.
                flaky.freeze();
                for (String id : List.of("tcp", "udp")) {
                    Await.until(Duration.ofSeconds(30), () -> camera(ingest, id).state() != CameraState.STREAMING
                                    && camera(ingest, id).lastError() != null,
                            () -> id + ": " + camera(ingest, id).state() + " " + camera(ingest, id).lastError());
                    String why = camera(ingest, id).lastError();
                    assertTrue(why.contains("stopped delivering frames") || why.contains("went silent"), why);
                }
                // Step 3: the hung server is killed and started again (a thawed gst-rtsp-server does not serve
                // new clients reliably, ffmpeg's CLI included); the cameras come back on their own.
                flaky.kill();
                flaky.start();
                awaitResumed(ingest, List.of("tcp", "udp"));
                // Step 4: the server dies while streaming; ingest backs off while it is down, then resumes.
                flaky.kill();
                for (String id : List.of("tcp", "udp")) {
                    awaitState(ingest, id, Duration.ofSeconds(30), CameraState.BACKING_OFF, CameraState.CONNECTING);
                }
                Thread.sleep(2000);
                assertTrue(camera(ingest, "tcp").reconnects() >= 2, "retried while the server was down");
                flaky.start();
                awaitResumed(ingest, List.of("tcp", "udp"));
            }
        }
        // Step 5: sequences kept increasing through the outages.
        Map<String, List<FrameRecord>> byCamera = kafka.frames("flaky.frames").stream()
                .collect(Collectors.groupingBy(FrameRecord::key));
        byCamera.forEach((id, records) -> {
            records.sort(Comparator.comparingLong(FrameRecord::offset));
            for (int i = 1; i < records.size(); i++) {
                assertTrue(records.get(i).frame().getSequence() > records.get(i - 1).frame().getSequence(), id);
            }
        });
    }

    /** The same ingest instance streams and publishes again; it remembers why it had to reconnect. */
    private static void awaitResumed(IngestService ingest, List<String> ids) {
        for (String id : ids) {
            awaitState(ingest, id, Duration.ofSeconds(30), CameraState.STREAMING);
            long now = camera(ingest, id).published();
            Await.until(Duration.ofSeconds(20), () -> camera(ingest, id).published() >= now + 5,
                    () -> ingest.status().render());
            CameraStatus c = camera(ingest, id);
            assertTrue(c.reconnects() >= 1, id + " reconnects: " + c.reconnects());
            assertNotNull(c.lastError(), id + " remembers why it reconnected");
        }
    }

    @Test
    void brokenCamerasGiveClearCredentialFreeErrorsAndDoNotDisturbTheOthers() throws Exception {
        List<String> secrets = List.of("hunter22", "s3cret-Pa55", "wrong-Pa55", "Pa55");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SilentServer silent = new SilentServer();
             LocalRtspServer locked = LocalRtspServer.builder().mount("/locked", clip)
                     .credentials("viewer", "s3cret-Pa55").start()) {
            Map<String, String> cams = new LinkedHashMap<>();
            cams.put("ingest.camera.good.url", rtsp.url("/a"));
            cams.put("ingest.camera.mute.url", "rtsp://admin:hunter22@127.0.0.1:" + silent.port() + "/live");
            cams.put("ingest.camera.nohost.url", "rtsp://admin:hunter22@no-such-camera.invalid:554/live");
            cams.put("ingest.camera.nopath.url", rtsp.url("/a").replace("/a", "/no/such/path"));
            cams.put("ingest.camera.nopath.username", "admin");
            cams.put("ingest.camera.nopath.password", "hunter22");
            cams.put("ingest.camera.badpass.url", locked.url("/locked"));
            cams.put("ingest.camera.badpass.username", "viewer");
            cams.put("ingest.camera.badpass.password", "wrong-Pa55");
            cams.put("ingest.camera.locked.url", locked.urlWithCredentials("/locked"));
            Settings s = settings("broken.", cams);
            try (IngestService ingest = new IngestService(IngestConfig.from(s), vap.core.kafka.KafkaSettings.from(s),
                    metrics).start()) {
                // Step 1: the good cameras stream, the broken ones say why they do not.
                awaitState(ingest, "good", Duration.ofSeconds(20), CameraState.STREAMING);
                awaitState(ingest, "locked", Duration.ofSeconds(20), CameraState.STREAMING);
                Map<String, String> expected = Map.of(
                        "mute", "did not answer within 2 s",
                        "nohost", "cannot be reached",
                        "nopath", "has no stream at this path",
                        "badpass", "refused the credentials");
                expected.forEach((id, words) -> Await.until(Duration.ofSeconds(30),
                        () -> camera(ingest, id).lastError() != null && camera(ingest, id).lastError().contains(words),
                        () -> id + ": " + camera(ingest, id).lastError()));
                assertTrue(camera(ingest, "nohost").lastError().contains("rtsp://***@no-such-camera.invalid:554/live"),
                        camera(ingest, "nohost").lastError());
                // Step 2: they keep retrying, and the good camera keeps publishing at its rate meanwhile.
                long good = camera(ingest, "good").published();
                Await.until(Duration.ofSeconds(20), () -> camera(ingest, "good").published() >= good + 10
                        && camera(ingest, "mute").reconnects() >= 1, () -> ingest.status().render());
                for (String id : expected.keySet()) {
                    assertTrue(Set.of(CameraState.BACKING_OFF, CameraState.CONNECTING).contains(camera(ingest, id).state()));
                    assertEquals(0, camera(ingest, id).published());
                }
                // Step 3: no credential anywhere: status, metrics, logs.
                String status = ingest.status().render();
                String scrape = metrics.scrape();
                assertTrue(scrape.contains("vap_ingest_camera_state{"), "state is exported as a metric");
                assertTrue(scrape.contains("camera=\"mute\""), scrape);
                String logText = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
                assertTrue(logText.contains("camera nohost"), "failures are logged");
                for (String secret : secrets) {
                    assertFalse(status.contains(secret), "status shows " + secret + ":\n" + status);
                    assertFalse(scrape.contains(secret), "metrics show " + secret);
                    assertFalse(logText.contains(secret), "logs show " + secret + ":\n" + logText);
                }
            }
        } finally {
            root.detachAppender(logs);
        }
        // Step 4: nor in the topic: frames of the good cameras only, without credentials.
        List<FrameRecord> records = kafka.frames("broken.frames");
        assertEquals(Set.of("good", "locked"), records.stream().map(FrameRecord::key).collect(Collectors.toSet()));
        for (FrameRecord r : records) {
            String raw = new String(r.rawKey(), StandardCharsets.ISO_8859_1) + new String(r.rawValue(), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(raw.contains(secret), "a record carries " + secret);
            }
        }
    }

    @Test
    void theCameraFileIsReloadedAndBadEntriesFailAlone() throws Exception {
        Path file = dir.resolve("cameras.properties");
        Files.writeString(file, """
                loop.url = %s
                loop.loop = true
                loop.fps = 5
                once.url = %s
                typo.url = %s
                typo.fsp = 5
                gone.url = %s
                """.formatted(clip, clip, rtsp.url("/a"), dir.resolve("missing.mp4")));
        Settings s = settings("reload.", Map.of("ingest.cameras.file", file.toString(),
                "ingest.cameras.reload.interval", "300ms"));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (IngestService ingest = new IngestService(IngestConfig.from(s), vap.core.kafka.KafkaSettings.from(s),
                metrics).start()) {
            // Step 1: what the file says: a looping file, a file played once, two mistakes.
            awaitState(ingest, "loop", Duration.ofSeconds(20), CameraState.STREAMING);
            awaitState(ingest, "typo", Duration.ofSeconds(5), CameraState.FAILED_CONFIGURATION);
            assertTrue(camera(ingest, "typo").detail().contains("unknown key 'fsp'"), camera(ingest, "typo").detail());
            awaitState(ingest, "gone", Duration.ofSeconds(10), CameraState.FAILED_CONFIGURATION);
            assertTrue(camera(ingest, "gone").detail().contains("does not exist"), camera(ingest, "gone").detail());
            // A 4 s file without loop ends; with loop it keeps going.
            awaitState(ingest, "once", Duration.ofSeconds(30), CameraState.FINISHED);
            Await.until(Duration.ofSeconds(30), () -> camera(ingest, "loop").published() > 30,
                    () -> "loop published " + camera(ingest, "loop").published());
            var loopSince = camera(ingest, "loop").since();

            // Step 2: the file changes: the typo is fixed, "once" and "gone" leave, "extra" joins.
            Files.writeString(file, """
                    loop.url = %s
                    loop.loop = true
                    loop.fps = 5
                    typo.url = %s
                    typo.fps = 5
                    extra.url = %s
                    extra.fps = 1
                    """.formatted(clip, rtsp.url("/a"), rtsp.url("/b")));
            awaitState(ingest, "typo", Duration.ofSeconds(20), CameraState.STREAMING);
            awaitState(ingest, "extra", Duration.ofSeconds(20), CameraState.STREAMING);
            Await.until(Duration.ofSeconds(5), () -> ingest.status().camera("once").isEmpty()
                    && ingest.status().camera("gone").isEmpty(), () -> ingest.status().render());
            // Unchanged cameras are not restarted; removed ones leave the metrics too.
            assertEquals(loopSince, camera(ingest, "loop").since());
            assertFalse(metrics.scrape().contains("camera=\"once\""));

            // Step 3: a file that no longer parses keeps the cameras running as they were.
            Files.writeString(file, "loop.url = %s\nloop.loop = true\nloop.fps = 5\n\\u00zz broken escape\n".formatted(clip));
            Await.until(Duration.ofSeconds(10), () -> ingest.status().registryProblem() != null,
                    () -> ingest.status().render());
            assertEquals(CameraState.STREAMING, camera(ingest, "typo").state());
        }
    }

    @Test
    void readsHlsOverHttp() throws Exception {
        // Step 1: an HLS rendition of the clip made by Debian's ffmpeg, served by the JDK's HTTP server.
        Path hls = Files.createDirectories(dir.resolve("hls"));
        TestVideos.run(TestVideos.FFMPEG.toString(), "-nostdin", "-loglevel", "error", "-y", "-i", clip.toString(),
                "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", hls.resolve("live.m3u8").toString());
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            Path f = hls.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(hls) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(f);
                ex.getResponseHeaders().set("Content-Type", f.toString().endsWith(".m3u8")
                        ? "application/vnd.apple.mpegurl" : "video/mp2t");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        http.start();
        try {
            // Step 2: ingest reads it like any camera (at the end of the playlist it reconnects and plays again).
            Settings s = settings("hls.", Map.of("ingest.camera.hls.url",
                    "http://127.0.0.1:" + http.getAddress().getPort() + "/live.m3u8", "ingest.camera.hls.fps", "2"));
            try (IngestService ingest = start(s)) {
                awaitState(ingest, "hls", Duration.ofSeconds(30), CameraState.STREAMING);
                Await.until(Duration.ofSeconds(20), () -> camera(ingest, "hls").published() >= 4,
                        () -> ingest.status().render());
            }
        } finally {
            http.stop(0);
        }
        assertEquals(240, kafka.frames("hls.frames").get(0).frame().getHeight());
    }

    @Test
    void readsMjpegOverHttp() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // Debian's ffmpeg as an MJPEG-over-HTTP camera (multipart/x-mixed-replace), looping the clip.
        Process camera = new ProcessBuilder(TestVideos.FFMPEG.toString(), "-nostdin", "-loglevel", "error", "-re",
                "-stream_loop", "-1", "-i", clip.toString(), "-c:v", "mjpeg", "-q:v", "5", "-f", "mpjpeg",
                "-listen", "1", "http://127.0.0.1:" + port + "/cam.mjpg").inheritIO().start();
        try {
            Thread.sleep(1000);
            Settings s = settings("http.", Map.of("ingest.camera.web.url", "http://127.0.0.1:" + port + "/cam.mjpg",
                    "ingest.camera.web.fps", "2"));
            try (IngestService ingest = start(s)) {
                awaitState(ingest, "web", Duration.ofSeconds(30), CameraState.STREAMING);
                Await.until(Duration.ofSeconds(20), () -> camera(ingest, "web").published() >= 4,
                        () -> ingest.status().render());
            }
        } finally {
            camera.destroyForcibly();
            camera.waitFor();
        }
        List<FrameRecord> records = kafka.frames("http.frames");
        assertTrue(records.size() >= 4);
        assertEquals(320, records.get(0).frame().getWidth());
    }

    @Test
    void theIngestCommandRunsAloneAndIsFoundByTheLauncher() throws Exception {
        // Step 1: the launcher finds it through ServiceLoader, by name.
        boolean found = false;
        for (vap.core.cli.VapCommand c : java.util.ServiceLoader.load(vap.core.cli.VapCommand.class)) {
            picocli.CommandLine.Command a = c.getClass().getAnnotation(picocli.CommandLine.Command.class);
            found |= a != null && a.name().equals("ingest");
        }
        assertTrue(found, "META-INF/services lists the ingest command");
        // Step 2: it runs against a cluster given on the command line, prints status, and stops on its own.
        kafka.createTopic("cmd.frames", 2);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        int rc;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            rc = new picocli.CommandLine(new vap.ingest.cli.IngestCommand()).execute(
                    "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", kafka.registryUrl(),
                    "--camera", "cli=" + rtsp.url("/a"), "-D", "topics.prefix=cmd.", "-D", "ingest.camera.cli.fps=2",
                    "--status-every", "2s", "--run-for", "6s");
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, printed);
        assertTrue(printed.contains("CAMERA") && printed.contains("cli") && printed.contains("streaming"), printed);
        assertTrue(kafka.frames("cmd.frames").size() >= 3, "frames published by the command");
    }
}
