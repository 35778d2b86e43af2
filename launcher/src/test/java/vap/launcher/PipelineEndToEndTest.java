package vap.launcher;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.demo.SampleCamera;
import vap.embedded.EmbeddedStack;
import vap.demo.PipelineProgress;
import vap.demo.SampleScenes;
import vap.demo.TopicReader;
import vap.messages.Alert;
import vap.messages.FaceCrop;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline on real components: a real RTSP server plays a camera showing two enrolled people
 * (amy twice, howard once) and a stranger (penny), with empty frames between appearances; ingest, detector,
 * recognizer and sinks run on the embedded Kafka, registry and PostgreSQL. Midway the recognizer is killed
 * and a new one started. Expected: one alert per appearance (amy 2, howard 1, penny 0), matches only for the
 * enrolled, a sighting row for every embedded face, an appearance row for every face track (when the detector
 * tracks), nothing twice.
 */
class PipelineEndToEndTest {
    @TempDir
    Path work;

    /**
     * Who appears: enrolment photos of the two watchlisted people, two probe photos of the first, one of the
     * second, and a stranger. From ../shared's identities when present (amy, howard, penny); otherwise from the
     * npm sample photos the build fetches: two people of sample1.jpg cut out as portraits (enrolled from one cut,
     * probed with another cut of the same face, mirrored or with another margin) and a stranger from sample5.jpg
     * (its first face: 0.86 / 0.85 against the two enrolled cuts with `vap verify`; sample2.jpg's frontal face, the
     * stranger until 2026-11-30, scores 0.93 against the second, above the calibrated 1% threshold for two people:
     * a real near-impostor of this network, which made the no-shared run of this test fail with the RGB chips).
     */
    record Cast(Path amyEnrol, Path amyProbe1, Path amyProbe2, Path howardEnrol, Path howardProbe, Path stranger) {
    }

    static Cast cast(Path dir) throws Exception {
        Path p = Path.of(System.getProperty("vap.shared.dir", "../../shared"), "testdata", "faces", "identities");
        if (Files.isDirectory(p)) {
            return new Cast(p.resolve("amy/amy1.png"), p.resolve("amy/amy2.png"), p.resolve("amy/amy3.png"),
                    p.resolve("howard/howard1.png"), p.resolve("howard/howard2.png"), p.resolve("penny/penny2.png"));
        }
        Files.createDirectories(dir);
        try (MtcnnDetector detector = new MtcnnDetector(MtcnnConfig.defaults().withMinFaceSize(40))) {
            Mat group = ImageDecoder.decode(SampleScenes.photo("sample1.jpg"), "sample1.jpg");
            List<DetectedFace> people = detector.detect(group);
            Mat strangers = ImageDecoder.decode(SampleScenes.photo("sample5.jpg"), "sample5.jpg");
            List<DetectedFace> others = detector.detect(strangers);
            assertTrue(people.size() >= 2 && !others.isEmpty(), "sample photos: " + people + " / " + others);
            return new Cast(
                    portrait(group, people.get(0), 0.5, false, dir.resolve("a-enrol.png")),
                    portrait(group, people.get(0), 0.5, true, dir.resolve("a-probe1.png")),
                    portrait(group, people.get(0), 0.8, false, dir.resolve("a-probe2.png")),
                    portrait(group, people.get(1), 0.5, false, dir.resolve("h-enrol.png")),
                    portrait(group, people.get(1), 0.7, true, dir.resolve("h-probe.png")),
                    portrait(strangers, others.get(0), 0.5, false, dir.resolve("stranger.png")));
        }
    }

    /** A square cut around a face with {@code margin} of its size on each side (clipped), optionally mirrored. */
    static Path portrait(Mat photo, DetectedFace f, double margin, boolean mirror, Path out) {
        double side = Math.max(f.x2() - f.x1(), f.y2() - f.y1()) * (1 + 2 * margin);
        double cx = (f.x1() + f.x2()) / 2, cy = (f.y1() + f.y2()) / 2;
        int x = (int) Math.max(0, cx - side / 2), y = (int) Math.max(0, cy - side / 2);
        int w = (int) Math.min(photo.cols() - x, side), h = (int) Math.min(photo.rows() - y, side);
        Mat cut = new Mat(photo, new Rect(x, y, w, h)).clone();
        if (mirror) {
            flip(cut, cut, 1);
        }
        imwrite(out.toString(), cut);
        return out;
    }

    /** A face photo (an identity's 150x150 grey crop, or a portrait cut) on an empty frame, large enough for a 40 px minimum face. */
    static Mat onCanvas(Path photo) {
        Mat face = ImageDecoder.decode(photo);
        Mat big = new Mat();
        resize(face, big, new Size(220, 220), 0, 0, INTER_CUBIC);
        Mat canvas = new Mat(SampleScenes.HEIGHT, SampleScenes.WIDTH, CV_8UC3, new Scalar(128, 128, 128, 0));
        big.copyTo(new Mat(canvas, new Rect((SampleScenes.WIDTH - 220) / 2, (SampleScenes.HEIGHT - 220) / 2, 220, 220)));
        return canvas;
    }

    @Test
    void enrolledPeopleAlertOncePerAppearanceAcrossARecognizerRestart() throws Exception {
        Cast ids = cast(work.resolve("cast"));
        // Step 1: the camera's video: amy, nobody, penny, nobody, howard, nobody, amy (4 s each).
        // It loops on the server; it ends and restarts with amy, so a late stop never makes a new appearance.
        Path video = SampleScenes.buildShots(List.of(
                new SampleScenes.Shot(onCanvas(ids.amyProbe1()), 4),
                new SampleScenes.Shot(null, 4),
                new SampleScenes.Shot(onCanvas(ids.stranger()), 4),
                new SampleScenes.Shot(null, 4),
                new SampleScenes.Shot(onCanvas(ids.howardProbe()), 4),
                new SampleScenes.Shot(null, 4),
                new SampleScenes.Shot(onCanvas(ids.amyProbe2()), 4)), work.resolve("camera.mp4"));

        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(work.resolve("stack")))) {
            KafkaSettings kafka = stack.kafkaSettings();
            Topics topics = Topics.defaults();
            TopicAdmin.ensureTopics(kafka, topics, 2, (short) 1);
            Map<String, String> s = new LinkedHashMap<>();
            s.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            s.put("registry.url", kafka.registryUrl());
            s.put("sinks.jdbc.url", stack.postgres().jdbcUrl());
            s.put("sinks.jdbc.password", "postgres");
            s.put("sinks.alerts.state.dir", work.resolve("streams").toString());
            // Appearances are 8 s apart; frames of one appearance 0.5 s apart.
            s.put("sinks.alerts.suppression.window", "3s");
            s.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
            s.put("detector.min.face.size", "40");
            // The last track closes 3 s after the camera's last face (wall clock), not the default 10 s.
            s.put("recognizer.track.idle.close.after", "3s");
            Settings settings = Settings.of(s);
            var metrics = new SimpleMeterRegistry();

            // Step 2: sinks, recognizer, the watchlist (amy and howard from their first photos), detector.
            try (SinksService sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics);
                 DetectorService detector = DetectorService.start(DetectorConfig.from(settings), kafka, metrics)) {
                RecognizerService recognizer = RecognizerService.start(settings, metrics);
                try (Enroller enroller = Enroller.create(settings)) {
                    assertTrue(enroller.enrol("amy", "Amy", "test", List.of(ids.amyEnrol()), FaceChoice.ONLY).enrolled());
                    assertTrue(enroller.enrol("howard", "Howard", "test", List.of(ids.howardEnrol()), FaceChoice.ONLY).enrolled());
                }
                long deadline = System.currentTimeMillis() + 30_000;
                while (recognizer.watchlist().size() < 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, recognizer.watchlist().size());

                // Step 3: the camera plays once through (28 s) over RTSP at 2 frames/s.
                Instant start = Instant.now();
                try (AutoCloseable camera = SampleCamera.start(video, 1, 2.0, settings, kafka, metrics)) {
                    Thread.sleep(12_000);
                    // Step 4: kill the recognizer mid-run; faces pile up in Kafka; a new one picks them up.
                    recognizer.close();
                    Thread.sleep(4_000);
                    recognizer = RecognizerService.start(settings, metrics);
                    Thread.sleep(14_500);
                }
                try (PipelineProgress progress = new PipelineProgress(kafka, List.of())) {
                    assertTrue(progress.awaitDrained(Map.of("vap-detector", topics.frames(), "vap-recognizer",
                            topics.faces(), "vap-sinks-db", topics.sightings()), 240_000), "pipeline drained");
                }
                Thread.sleep(6000); // the last track closes (3 s idle), the alert stream and the database writers settle

                // Step 5: alerts: amy twice, howard once, penny never.
                List<Alert> alerts = TopicReader.readAll(kafka, topics.alerts(), Alert.class, a -> true)
                        .stream().map(TopicReader.Read::value).toList();
                Map<String, Integer> perIdentity = new LinkedHashMap<>();
                alerts.forEach(a -> perIdentity.merge(a.getIdentityId(), 1, Integer::sum));
                assertEquals(Map.of("amy", 2, "howard", 1), perIdentity, "alerts: " + alerts);

                // Step 6: the database: a sighting for every detected face, matches only for the enrolled,
                // the alerts, and nothing twice.
                List<FaceCrop> faces = TopicReader.readAll(kafka, topics.faces(), FaceCrop.class, f -> true)
                        .stream().map(TopicReader.Read::value).toList();
                Set<String> faceKeys = new HashSet<>();
                faces.forEach(f -> faceKeys.add(f.getFrame().getCameraId() + "/" + f.getFrame().getSequence() + "/" + f.getFaceIndex()));
                assertTrue(faceKeys.size() >= 20, "faces detected: " + faceKeys.size());
                try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "postgres", "postgres")) {
                    Set<String> rows = new HashSet<>();
                    List<String> all = new ArrayList<>();
                    try (ResultSet rs = c.createStatement().executeQuery(
                            "select camera_id, frame_sequence, face_index from sightings")) {
                        while (rs.next()) {
                            String k = rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getInt(3);
                            rows.add(k);
                            all.add(k);
                        }
                    }
                    // A sighting per embedded face: every untracked face (detector before tracking), at least one
                    // face of every track, fewer than all faces when tracks exist, none lost across the restart.
                    assertTrue(faceKeys.containsAll(rows), "sightings only of detected faces");
                    assertEquals(rows.size(), all.size(), "no sighting twice");
                    Set<String> tracks = new HashSet<>();
                    for (FaceCrop f : faces) {
                        String k = f.getFrame().getCameraId() + "/" + f.getFrame().getSequence() + "/" + f.getFaceIndex();
                        if (f.getTrackId() == null) {
                            assertTrue(rows.contains(k), "untracked face " + k + " has its sighting");
                        } else {
                            tracks.add(f.getTrackId());
                        }
                    }
                    // Every track has its appearance row (the killed recognizer handed its open tracks over as
                    // it stopped), once; watchlisted appearances are the enrolled people's; every alert comes
                    // from one of them (untracked faces have no appearances and alert as before).
                    Map<String, String> appearanceIdentity = new LinkedHashMap<>();
                    try (ResultSet rs = c.createStatement().executeQuery("select track_id, identity_id from appearances")) {
                        while (rs.next()) {
                            appearanceIdentity.put(rs.getString(1), rs.getString(2));
                        }
                    }
                    assertEquals(tracks, appearanceIdentity.keySet(), "one appearance row per track");
                    assertTrue(Set.of("amy", "howard").containsAll(appearanceIdentity.values().stream()
                            .filter(java.util.Objects::nonNull).toList()), "appearances: " + appearanceIdentity);
                    if (!tracks.isEmpty()) {
                        assertTrue(rows.size() < faceKeys.size(), "fewer embeddings than faces: " + rows.size()
                                + " of " + faceKeys.size());
                        for (Alert a : alerts) {
                            assertEquals(a.getIdentityId(), appearanceIdentity.get(a.getTrackId()),
                                    "alert " + a.getAlertId() + " is a watchlisted appearance");
                            assertTrue(a.getBestShotJpeg() != null && a.getBestShotJpeg().remaining() > 0);
                        }
                        Set<String> watchlisted = new HashSet<>(appearanceIdentity.values());
                        watchlisted.remove(null);
                        assertEquals(perIdentity.keySet(), watchlisted, "every watchlisted person's appearance alerted");
                    }
                    try (ResultSet rs = c.createStatement().executeQuery(
                            "select identity_id, count(*) from matches group by identity_id order by identity_id")) {
                        Map<String, Long> m = new LinkedHashMap<>();
                        while (rs.next()) {
                            m.put(rs.getString(1), rs.getLong(2));
                        }
                        assertEquals(Set.of("amy", "howard"), m.keySet(), "matches only for the enrolled: " + m);
                    }
                    try (ResultSet rs = c.createStatement().executeQuery(
                            "select count(*) from sightings s where s.best_identity_id is null or not s.matched")) {
                        rs.next();
                        assertTrue(rs.getLong(1) > 0, "the stranger was sighted without a match");
                    }
                    try (ResultSet rs = c.createStatement().executeQuery("select count(*) from alerts")) {
                        rs.next();
                        assertEquals(3, rs.getLong(1));
                    }
                }
                recognizer.close();
                assertTrue(Instant.now().isAfter(start));
            }
        }
    }
}
