package vap.console;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import vap.console.auth.PasswordHash;
import vap.console.auth.Role;
import vap.console.auth.UserDirectory;
import vap.console.search.FaceTable;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedStack;
import vap.messages.Alert;
import vap.messages.Box;
import vap.messages.FaceCrop;
import vap.messages.FaceQuality;
import vap.messages.Feedback;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Point;
import vap.models.InferenceDevice;
import vap.photos.PhotoFaces;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.service.RecognizerService;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.recognizer.watchlist.Watchlist;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Not this person" end to end, in the browser: the real recognizer (MTCNN-cut crops, the real embedding network,
 * its track book and feedback follower), the sinks (database writers and the alert stream) and the console on the
 * embedded stack. A track of an enrolled face raises a live alert; the analyst marks it "not this person"; more
 * crops of that track and a new track of the same face bring no further alert, while another enrolled person's
 * track, fed after them, still does (and so proves the recognizer and the alert stream got that far).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleFeedbackBrowserTest {
    private static final String CAMERA = "door";
    /** The one marked (sample1's middle face) and the control person (sample1's first face). */
    private static final String MARKED = "p1";
    private static final String CONTROL = "p0";

    private Path work;
    private EmbeddedStack stack;
    private KafkaSettings kafka;
    private final Topics topics = Topics.defaults();
    private SinksService sinks;
    private RecognizerService recognizer;
    private ConsoleService console;
    private WebDriver browser;
    private String base;
    /** Aligned and age crops (JPEG) of sample1's faces in two renditions of the photo: other pixels, same people. */
    private List<byte[][]> renditionA;
    private List<byte[][]> renditionB;
    private List<Detection> detectionsA;
    private List<Detection> detectionsB;
    private long sequence = 1000;

    /** Where MTCNN found a face in a rendition, as a FaceCrop carries it. */
    private record Detection(Box box, float score, List<Point> landmarks) {
    }

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Chromium.installed(), Chromium.MISSING);
        work = Files.createTempDirectory("console-feedback-test");
        stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(work));
        kafka = stack.kafkaSettings();
        // One partition each: the faces, matches and alerts keep their order, so a later alert proves earlier
        // crops were decided and their matches streamed.
        TopicAdmin.ensureTopics(kafka, topics, 1, (short) 1);
        Map<String, String> s = new LinkedHashMap<>();
        s.put(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers());
        s.put(KafkaSettings.REGISTRY_URL, kafka.registryUrl());
        s.put("sinks.jdbc.url", stack.postgres().jdbcUrl());
        s.put("sinks.jdbc.user", stack.postgres().user());
        s.put("sinks.jdbc.password", stack.postgres().password());
        s.put("sinks.alerts.state.dir", work.resolve("streams").toString());
        s.put("sinks.alerts.suppression.window", "1s"); // a new track 3 s after a match is a new appearance
        s.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
        s.put("recognizer.batch.size", "8");
        s.put("recognizer.model.batch", "4");
        s.put("recognizer.track.idle.close.after", "120s"); // the marked track stays open while the analyst clicks
        Settings settings = Settings.of(s);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics); // migrates the database too

        // Enrol two of sample1's people from the photo as it is; their tracks come from turned and scaled copies.
        byte[] photo;
        try (var in = getClass().getClassLoader().getResourceAsStream("vap-samples/sample1.jpg")) {
            photo = in.readAllBytes();
        }
        List<float[]> enrolled;
        try (PhotoFaces detector = PhotoFaces.configured(Settings.empty(), PhotoFaces.CropMode.ALIGNED);
             FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(
                     InferenceDevice.parse(RecognizerConfig.from(Settings.empty()).device())), 4);
             Mat image = ImageDecoder.decode(photo, "sample1.jpg")) {
            List<PhotoFaces.Face> faces = detector.faces(image);
            assertEquals(3, faces.size(), "sample1.jpg shows three people");
            enrolled = embedder.embed(faces.stream().map(PhotoFaces.Face::aligned).toList());
            faces.forEach(PhotoFaces.Face::close);
            detectionsA = new ArrayList<>();
            renditionA = cut(detector, embedder, image, 9, 0.6, enrolled, detectionsA);
            detectionsB = new ArrayList<>();
            renditionB = cut(detector, embedder, image, -8, 0.7, enrolled, detectionsB);
        }
        try (GalleryPublisher gallery = new GalleryPublisher(kafka, topics.gallery())) {
            gallery.enrol(Watchlist.entry(CONTROL, "Sample person 1", "demo", List.of(enrolled.get(0))));
            gallery.enrol(Watchlist.entry(MARKED, "Sample person 2", "demo", List.of(enrolled.get(1))));
        }
        recognizer = RecognizerService.start(settings, metrics);
        waitUntil(() -> recognizer.watchlist().size() == 2, "both people enrolled in the recognizer");

        Path users = work.resolve("users.csv");
        Files.writeString(users,
                UserDirectory.line("ana", Role.ANALYST, PasswordHash.of("ana-password".toCharArray(), 10_000)) + "\n");
        console = ConsoleService.start(new ConsoleConfig("127.0.0.1", 0, users, false, Duration.ofHours(1),
                stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password(), 50, FaceTable.SIGHTINGS,
                List.of()), settings, metrics);
        base = "http://127.0.0.1:" + console.port();
        browser = Chromium.start(work);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser == null ? null : browser::quit, console, recognizer, sinks, stack}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    @Test
    void notThisPersonStopsFurtherAlertsForThatFace() throws Exception {
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys("ana");
        browser.findElement(By.id("password")).sendKeys("ana-password");
        browser.findElement(By.id("login")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/alerts"));
        waitFor(d -> d.findElement(By.id("feed-state")).getText().equals("live"));

        // 1. A track of the marked person: the recognizer names it, the alert stream alerts once, live, with its face.
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publishTrack("door-t1", renditionA, detectionsA, 1, t0, 0, 4, 0.5f);
        WebElement card = waitFor(d -> d.findElement(By.cssSelector("div.alert")));
        String cardId = card.getAttribute("id");
        assertTrue(card.getText().contains("Sample person 2"), card.getText());
        assertTrue(card.getText().contains(CAMERA), card.getText());
        waitFor(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "const i = document.querySelector('#" + cardId + " img.face');"
                        + " return i && i.complete ? i.naturalWidth : 0")).intValue() == 150);
        Alert first = alerts(1).get(0);
        assertEquals(MARKED, first.getIdentityId());
        assertEquals("door-t1", first.getTrackId());
        // The card's face is a sighting the sinks write; "not this person" reads its embedding from there.
        String faceKey = CAMERA + "/" + first.getFrame().getSequence() + "/" + first.getFaceIndex();
        waitUntil(() -> count("select count(*) from sightings where camera_id = '" + CAMERA + "' and frame_sequence = "
                + first.getFrame().getSequence() + " and face_index = " + first.getFaceIndex()) == 1, "the alert's sighting stored");

        // 2. The analyst says it is not this person; every recognizer replica applies it.
        browser.findElement(By.cssSelector("#" + cardId + " form.not-this-person button")).click();
        // Published before it is recorded: once recorded (with who said so), the record is on the topic.
        waitUntil(() -> count("select count(*) from console_feedback where face_key = '" + faceKey
                + "' and identity_id = '" + MARKED + "' and marked_by = 'ana'") == 1, "the feedback recorded");
        Feedback feedback = onlyFeedback();
        assertEquals(MARKED, feedback.getIdentityId());
        assertEquals("sighting:" + faceKey, feedback.getSource());
        assertEquals("ana", feedback.getUser());
        waitUntil(() -> recognizer.watchlist().feedbackCount(MARKED) == 1, "the recognizer applied the feedback");

        // 3. More of the same track, then a new track of the same face 3 s later (a new appearance past the
        //    suppression window), then a track of the control person: only the control person is alerted.
        waitFor(d -> d.findElement(By.id("feed-state")).getText().equals("live"));
        long afterFeedback = sequence;
        publishTrack("door-t1", renditionA, detectionsA, 1, t0, 4, 8, 0.9f); // clearly better: embedded again
        publishTrack("door-t2", renditionB, detectionsB, 1, t0.plusSeconds(3), 0, 6, 0.5f);
        publishTrack("door-t3", renditionA, detectionsA, 0, t0.plusSeconds(5), 0, 4, 0.5f);
        waitFor(d -> d.findElements(By.cssSelector("div.alert p.name")).stream()
                .anyMatch(e -> e.getText().startsWith("Sample person 1")));
        List<Alert> all = alerts(2);
        assertEquals(List.of(MARKED + "/door-t1", CONTROL + "/door-t3"),
                all.stream().map(a -> a.getIdentityId() + "/" + a.getTrackId()).toList(), "alerts (person/track)");
        List<String> shown = browser.findElements(By.cssSelector("div.alert")).stream()
                .map(e -> e.findElement(By.cssSelector("p.name")).getText()).toList();
        assertEquals(2, shown.size(), "cards: " + shown);
        assertEquals(1, shown.stream().filter(n -> n.startsWith("Sample person 2")).count(), "cards: " + shown);
        assertTrue(shown.stream().anyMatch(n -> n.startsWith("Sample person 1")), "cards: " + shown);
        // Not even a match: the faces after the feedback were held to the raised threshold.
        List<Match> matches = matches();
        assertTrue(matches.stream().noneMatch(m -> m.getTrackId().equals("door-t2")), "matches of tracks: "
                + matches.stream().map(m -> m.getIdentityId() + "/" + m.getTrackId()).toList());
        waitUntil(() -> count("select count(*) from sightings where track_id = 'door-t2' and not matched") >= 2,
                "the new track was embedded and matched no one");
        // The open track's better crop was embedded again and held to the raised threshold too.
        String laterOfT1 = "select count(*) from sightings where track_id = 'door-t1' and frame_sequence >= " + afterFeedback;
        waitUntil(() -> count(laterOfT1 + " and not matched") >= 1, "the marked track's later face embedded, no match");
        assertEquals(0, count(laterOfT1 + " and matched"), "no later face of the marked track matched");

        // 4. The person's page shows the feedback on that face.
        browser.get(base + "/appearances?person=" + MARKED);
        WebElement mark = waitFor(d -> d.findElement(By.cssSelector("span.feedback")));
        assertEquals("not this person (ana)", mark.getText());
    }

    /**
     * Sample face {@code who} of a rendition as the detector publishes it: frames {@code from..to-1} of a track,
     * 200 ms apart, of the given quality (a named track embeds a face again only when it is clearly better).
     */
    private void publishTrack(String trackId, List<byte[][]> crops, List<Detection> detections, int who,
                              Instant firstSeen, int from, int to, float quality) throws Exception {
        AvroCodec<FaceCrop> codec = new AvroCodec<>(kafka.registryClient(), FaceCrop.class);
        Detection d = detections.get(who);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.copyOf(kafka.producerProps("console-feedback-test")))) {
            for (int f = from; f < to; f++) {
                Instant at = firstSeen.plusMillis(200L * f);
                FaceCrop crop = FaceCrop.newBuilder().setFrame(new FrameRef(CAMERA, sequence++, at)).setFaceIndex(0)
                        .setFaceCount(1).setFrameWidth(800).setFrameHeight(600).setBox(d.box()).setScore(d.score())
                        .setLandmarks(d.landmarks()).setAlignedCrop(ByteBuffer.wrap(crops.get(who)[0]))
                        .setAgeCrop(ByteBuffer.wrap(crops.get(who)[1])).setDetectedTimestamp(Instant.now())
                        .setTrackId(trackId).setTrackHits(f + 1).setTrackFirstSeenTimestamp(firstSeen)
                        .setQuality(FaceQuality.newBuilder().setFaceSize(60).setSharpness(0.5f).setYaw(0).setRoll(0)
                                .setDetectionScore(d.score()).setValue(quality).build())
                        .build();
                p.send(new ProducerRecord<>(topics.faces(), CAMERA, codec.encode(topics.faces(), crop))).get();
            }
        }
    }

    /**
     * Sample1 turned by {@code degrees} and scaled, through a lossy JPEG, cut by the real MTCNN: crops per face, in the
     * enrolled faces' order (each found face goes to the enrolled face it is most similar to).
     */
    private static List<byte[][]> cut(PhotoFaces detector, FaceEmbedder embedder, Mat image, double degrees, double scale,
                                      List<float[]> enrolled, List<Detection> detections) {
        byte[][][] out = new byte[enrolled.size()][][];
        Detection[] where = new Detection[enrolled.size()];
        try (Mat m = getRotationMatrix2D(new Point2f(image.cols() / 2f, image.rows() / 2f), degrees, scale);
             Size size = new Size(image.cols(), image.rows()); Mat turned = new Mat()) {
            warpAffine(image, turned, m, size);
            try (Mat lossy = ImageDecoder.decode(JpegEncoder.encode(turned, 50), "turned sample1")) {
                List<PhotoFaces.Face> faces = detector.faces(lossy);
                try {
                    List<float[]> embeddings = embedder.embed(faces.stream().map(PhotoFaces.Face::aligned).toList());
                    for (int i = 0; i < faces.size(); i++) {
                        int best = 0;
                        for (int e = 1; e < enrolled.size(); e++) {
                            if (dot(embeddings.get(i), enrolled.get(e)) > dot(embeddings.get(i), enrolled.get(best))) {
                                best = e;
                            }
                        }
                        PhotoFaces.Face f = faces.get(i);
                        out[best] = new byte[][] {JpegEncoder.encode(f.aligned(), 95), JpegEncoder.encode(f.ageCrop(), 95)};
                        var det = f.detection();
                        List<Point> landmarks = det.landmarks().stream().map(l -> new Point(l.x(), l.y())).toList();
                        where[best] = new Detection(new Box(det.x1(), det.y1(), det.x2(), det.y2()), det.score(), landmarks);
                    }
                } finally {
                    faces.forEach(PhotoFaces.Face::close);
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            assertTrue(out[i] != null, "face " + i + " found in sample1 turned by " + degrees + " degrees");
        }
        detections.addAll(List.of(where));
        return List.of(out);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private List<Alert> alerts(int atLeast) throws InterruptedException {
        List<Alert> got = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            got = readAll(topics.alerts(), Alert.class);
            if (got.size() >= atLeast) {
                break;
            }
            Thread.sleep(200);
        }
        return got;
    }

    private List<Match> matches() {
        return readAll(topics.matches(), Match.class);
    }

    private Feedback onlyFeedback() {
        List<Feedback> got = readAll(topics.feedback(), Feedback.class);
        assertEquals(1, got.size(), "one feedback record on " + topics.feedback());
        return got.get(0);
    }

    /** Everything on the one partition of {@code topic}, decoded. */
    private <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(String topic, Class<T> type) {
        Map<String, Object> p = kafka.consumerProps("unused", "console-feedback-test-reader");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        AvroCodec<T> codec = new AvroCodec<>(kafka.registryClient(), type);
        List<T> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null) {
                        got.add(codec.decode(r.topic(), r.value()));
                    }
                });
            }
        }
        return got;
    }

    private int count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }
}
