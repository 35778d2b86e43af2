package vap.console;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import vap.console.auth.PasswordHash;
import vap.console.auth.Role;
import vap.console.auth.UserDirectory;
import vap.console.search.FaceTable;
import vap.sinks.db.Database;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedStack;
import vap.messages.Alert;
import vap.messages.Box;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;
import vap.messages.Feedback;
import vap.messages.FrameRef;
import vap.messages.Point;
import vap.photos.PhotoFaces;
import vap.models.InferenceDevice;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.vision.image.JpegEncoder;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser (Debian's headless Chromium driven by Selenium) on the real embedded stack:
 * Kafka, the schema registry and PostgreSQL, and faces found by the real MTCNN in a sample photo. Each step
 * saves a screenshot into target/screenshots (or {@code -Dvap.console.screenshots=docs/console}: the README's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    /**
     * target/screenshots by default, so a test run leaves the checkout clean; the README's pictures are refreshed
     * with {@code ./vap test -pl console -Dtest=ConsoleBrowserTest -Dvap.console.screenshots=docs/console}.
     */
    private static final Path SCREENSHOTS = screenshotDir();

    private static Path screenshotDir() {
        String configured = System.getProperty("vap.console.screenshots");
        Path module = Path.of(System.getProperty("user.dir"));
        return configured == null || configured.isBlank() ? module.resolve("target/screenshots")
                : module.getParent().resolve(configured);
    }

    private Path work;
    private EmbeddedStack stack;
    private ConsoleService console;
    private WebDriver browser;
    private String base;
    private Topics topics;
    private KafkaSettings kafka;
    private List<byte[]> faces;
    private List<float[]> embeddings; // of the three faces, as the recognizer computes them

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Chromium.installed(), Chromium.MISSING);
        work = Files.createTempDirectory("console-test");
        stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(work));
        kafka = stack.kafkaSettings();
        topics = Topics.defaults();
        stack.kafka().createTopic(topics.alerts(), 2, false);
        stack.kafka().createTopic(topics.faces(), 1, false);
        stack.kafka().createTopic(topics.gallery(), 1, true);
        stack.kafka().createTopic(topics.feedback(), 1, true);
        new Database(stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password()).migrate();
        Path users = work.resolve("users.csv");
        Files.writeString(users,
                UserDirectory.line("ana", Role.ANALYST, PasswordHash.of("ana-password".toCharArray(), 10_000)) + "\n"
                + UserDirectory.line("val", Role.VIEWER, PasswordHash.of("val-password".toCharArray(), 10_000)) + "\n"
                + UserDirectory.line("adm", Role.ADMIN, PasswordHash.of("adm-password".toCharArray(), 10_000)) + "\n");
        console = ConsoleService.start(new ConsoleConfig("127.0.0.1", 0, users, false, Duration.ofHours(1),
                stack.postgres().jdbcUrl(), stack.postgres().user(), stack.postgres().password(), 50, FaceTable.SIGHTINGS,
                List.of(URI.create("http://127.0.0.1:1/health"))),
                Settings.of(Map.of(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(), KafkaSettings.REGISTRY_URL,
                        kafka.registryUrl())), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        base = "http://127.0.0.1:" + console.port();
        try (PhotoFaces detector = PhotoFaces.configured(Settings.empty(), PhotoFaces.CropMode.ALIGNED)) {
            Path photo = work.resolve("sample1.jpg");
            try (var in = getClass().getClassLoader().getResourceAsStream("vap-samples/sample1.jpg")) {
                Files.write(photo, in.readAllBytes());
            }
            List<PhotoFaces.Face> found = detector.faces(photo);
            faces = found.stream().map(f -> JpegEncoder.encode(f.aligned(), 95)).toList();
            RecognizerConfig rc = RecognizerConfig.from(Settings.empty());
            try (FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(InferenceDevice.parse(rc.device())), 4)) {
                embeddings = embedder.embed(found.stream().map(PhotoFaces.Face::aligned).toList());
            } finally {
                found.forEach(PhotoFaces.Face::close);
            }
        }
        assertEquals(3, faces.size(), "sample1.jpg shows three people");
        Files.createDirectories(SCREENSHOTS);
        browser = Chromium.start(work);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void loginLiveAlertsWithFacesAcknowledgeAndRefusals() throws Exception {
        // 1. Without a session every page sends the browser to the login page; the session cookie is locked down.
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> anon = http.send(HttpRequest.newBuilder(URI.create(base + "/alerts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, anon.statusCode());
        assertEquals("/login", anon.headers().firstValue("Location").orElseThrow());
        String cookie = anon.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP without console.cookie.secure: " + cookie);
        HttpResponse<String> overHttps = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(overHttps.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"),
                "behind an HTTPS proxy the cookie is Secure");
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/alerts/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, stream.statusCode(), "the alert stream needs a login too");

        browser.get(base + "/alerts");
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        shot("login");

        // 2. A wrong password is refused; the right one opens the live alerts page.
        logIn("ana", "not-her-password");
        assertTrue(waitFor(d -> d.findElement(By.id("login-error"))).isDisplayed());
        String before = browser.manage().getCookieNamed("vap_session").getValue();
        logIn("ana", "ana-password");
        waitFor(d -> d.getCurrentUrl().endsWith("/alerts"));
        assertFalse(before.equals(browser.manage().getCookieNamed("vap_session").getValue()),
                "logging in gives a new session id (no fixation)");
        assertTrue(browser.manage().getCookieNamed("vap_session").isHttpOnly());
        waitFor(d -> d.findElement(By.id("feed-state")).getText().equals("live"));

        // 3. Two alerts arrive while the page is open: one carries its best shot, one only where its crop is.
        CropLocation crop = publishFaceCrop(faces.get(1));
        publishAlert("p2/camera-1/100", "p2", "Sample person 2", 0.991f, null, crop);
        publishAlert("p1/camera-1/100", "p1", "Sample person 1", 0.974f, faces.get(0), null);
        WebElement first = waitFor(d -> d.findElement(By.id("alert-p1_camera-1_100")));
        WebElement second = waitFor(d -> d.findElement(By.id("alert-p2_camera-1_100")));
        assertTrue(first.getText().contains("Sample person 1"), first.getText());
        assertTrue(second.getText().contains("0.991"), second.getText());
        assertTrue(second.getText().contains("camera-1"), second.getText());
        for (WebElement card : List.of(first, second)) {
            WebElement img = card.findElement(By.cssSelector("img.face"));
            waitFor(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                    "return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() > 0);
            assertEquals(150L, ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img),
                    "the aligned face chip is 150 px wide");
        }
        shot("alerts");

        // 4. Acknowledging is recorded with who did it.
        browser.findElement(By.cssSelector("#alert-p2_camera-1_100 form.ack button")).click();
        WebElement acked = waitFor(d -> d.findElement(By.cssSelector("#alert-p2_camera-1_100 p.ack")));
        assertTrue(acked.getText().startsWith("acknowledged by ana"), acked.getText());
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select acknowledged_by from console_alert_acks where alert_id = 'p2/camera-1/100'")) {
            assertTrue(rs.next());
            assertEquals("ana", rs.getString(1));
        }

        // 5. A form posted without its CSRF token is refused, and nothing is recorded.
        ((JavascriptExecutor) browser).executeScript(
                "const f = document.querySelector('#alert-p1_camera-1_100 form.ack');"
                        + "f.querySelector('input[name=_csrf]').remove(); f.submit();");
        waitFor(d -> d.getPageSource().contains("no valid security token"));
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from console_alert_acks where alert_id = 'p1/camera-1/100'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }

        // 6. Search past faces: by person, by camera, unknown only; a row's face comes from Kafka by its location.
        insertSighting("camera-1", 1, Instant.parse("2026-11-01T10:00:00Z"), "p1", 0.97f, crop);
        insertSighting("camera-1", 2, Instant.parse("2026-11-01T10:00:05Z"), "p1", 0.95f, null);
        insertSighting("camera-1", 3, Instant.parse("2026-11-01T10:00:10Z"), null, null, null);
        insertSighting("camera-2", 4, Instant.parse("2026-11-01T11:00:00Z"), null, null, null);
        browser.get(base + "/appearances");
        assertEquals(4, browser.findElements(By.cssSelector("tr.face-row")).size());
        browser.findElement(By.id("person")).sendKeys("p1");
        browser.findElement(By.id("search-button")).click();
        waitFor(d -> d.findElement(By.id("result-count")).getText().startsWith("2 faces"));
        WebElement thumb = browser.findElement(By.cssSelector("tr.face-row img.thumb"));
        waitFor(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0", thumb)).intValue() == 150);
        shot("appearances");
        browser.get(base + "/appearances?status=unknown");
        assertEquals(2, browser.findElements(By.cssSelector("tr.face-row")).size());
        browser.get(base + "/appearances?camera=camera-2&status=unknown");
        assertEquals(1, browser.findElements(By.cssSelector("tr.face-row")).size());
        browser.get(base + "/appearances?camera=camera-1&from=2026-11-01T00:00&to=2026-11-02T00:00&status=matched");
        assertEquals(2, browser.findElements(By.cssSelector("tr.face-row")).size(), "matched on camera-1 that day");

        // 7. "Not this person" on a match is recorded with who said so, and shown on the person's faces.
        browser.get(base + "/appearances?person=p1");
        browser.findElement(By.cssSelector("form.not-this-person button")).click();
        waitFor(d -> d.findElement(By.cssSelector("span.feedback")).getText().equals("not this person (ana)"));
        assertEquals(1, browser.findElements(By.cssSelector("form.not-this-person")).size(), "the other match keeps its button");
        shot("appearances-feedback");
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select face_key, identity_id, marked_by from console_feedback")) {
            assertTrue(rs.next());
            assertEquals("camera-1/2/0", rs.getString(1), "the newest match of p1");
            assertEquals("p1", rs.getString(2));
            assertEquals("ana", rs.getString(3));
            assertFalse(rs.next());
        }
        // ... and published for the recognizers, with that sighting's embedding.
        Feedback published = onlyFeedback();
        assertEquals("p1", published.getIdentityId());
        assertEquals("sighting:camera-1/2/0", published.getSource());
        assertEquals("ana", published.getUser());
        assertEquals(1f, published.getEmbedding().get(2), "the embedding stored with sighting camera-1/2/0");

        // 8. Cameras: faces per camera from the sightings table; an unreachable ingest is said to be so.
        insertSighting("camera-3", 5, Instant.now().minusSeconds(20), null, null, null);
        browser.get(base + "/cameras");
        List<WebElement> cameraRows = browser.findElements(By.cssSelector("tr.camera"));
        assertEquals(1, cameraRows.size(), "only camera-3 saw a face in the last 24 hours");
        assertTrue(cameraRows.get(0).getText().startsWith("camera-3"), cameraRows.get(0).getText());
        assertTrue(browser.findElement(By.id("ingest")).getText().contains("unreachable"));
        shot("cameras");

        // 9. A viewer sees the alerts but may not acknowledge them.
        browser.get(base + "/alerts");
        browser.findElement(By.id("logout")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/login"));
        logIn("val", "val-password");
        waitFor(d -> d.getCurrentUrl().endsWith("/alerts"));
        waitFor(d -> d.findElement(By.id("alert-p1_camera-1_100")));
        assertTrue(browser.findElements(By.cssSelector("#alert-p1_camera-1_100 form.ack")).isEmpty());
        assertTrue(browser.findElements(By.cssSelector("form.not-this-person")).isEmpty(), "nor give feedback");
        browser.get(base + "/watchlist");
        assertTrue(browser.findElements(By.id("enrol")).isEmpty(), "only admins enrol");

        // 10. An admin enrols a person by uploading a group photo and choosing the face.
        browser.findElement(By.id("logout")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/login"));
        logIn("adm", "adm-password");
        waitFor(d -> d.getCurrentUrl().endsWith("/alerts"));
        browser.get(base + "/watchlist");
        browser.findElement(By.id("identityId")).sendKeys("sample-3");
        browser.findElement(By.id("displayName")).sendKeys("Sample person 3");
        browser.findElement(By.id("photos")).sendKeys(work.resolve("sample1.jpg").toString());
        browser.findElement(By.id("enrol-button")).click();
        waitFor(d -> d.findElement(By.id("choose")));
        assertEquals(3, browser.findElements(By.cssSelector("#choose img.thumb")).size(), "three faces to choose from");
        shot("enrol-choose-face");
        browser.findElement(By.id("face-2")).click();
        browser.findElement(By.id("choose-button")).click();
        WebElement message = waitFor(d -> d.findElement(By.id("message")));
        assertTrue(message.getText().startsWith("Enrolled sample-3 from 1 photo(s), face 3"), message.getText());
        waitFor(d -> {
            d.get(base + "/watchlist");
            return d.findElement(By.id("person-sample-3"));
        });
        assertTrue(browser.findElement(By.id("person-sample-3")).getText().contains("Sample person 3"));
        assertTrue(browser.findElement(By.id("audit")).getText().contains("adm enrol sample-3"),
                browser.findElement(By.id("audit")).getText());
        shot("watchlist");
        waitForImage(By.cssSelector("#person-sample-3 img.enrolled"), 150);
        browser.get(base + "/appearances?person=sample-3");
        waitForImage(By.cssSelector("#person-head img.enrolled"), 150); // the person's page shows it too

        // 11. The enrolled photo beside the best shot of a new alert for that person.
        browser.get(base + "/alerts");
        waitFor(d -> d.findElement(By.id("feed-state")).getText().equals("live"));
        publishAlert("sample-3/camera-1/200", "sample-3", "Sample person 3", 0.962f, faces.get(2), null);
        waitFor(d -> d.findElement(By.id("alert-sample-3_camera-1_200")));
        waitForImage(By.cssSelector("#alert-sample-3_camera-1_200 img.face"), 150);
        waitForImage(By.cssSelector("#alert-sample-3_camera-1_200 img.enrolled"), 150);
        shot("alerts");

        // 12. Find the enrolled person's past appearances: the stored faces of the last 30 days, ranked by FAISS.
        Instant past = Instant.now().minus(Duration.ofDays(3));
        CropLocation[] pastCrops = new CropLocation[3];
        for (int i = 0; i < 3; i++) {
            pastCrops[i] = publishFaceCrop(faces.get(i));
            insertSighting("camera-4", 300 + i, past.plusSeconds(60L * i), null, null, pastCrops[i], embeddings.get(i));
        }
        insertSighting("camera-4", 399, Instant.now().minus(Duration.ofDays(45)), null, null, null, embeddings.get(2));
        browser.get(base + "/watchlist");
        browser.findElement(By.cssSelector("#person-sample-3 a.past")).click();
        WebElement summary = waitFor(d -> d.findElement(By.id("past-summary")));
        assertTrue(summary.getText().startsWith("Searched ") && summary.getText().contains(" faces of the last 30 days"),
                summary.getText());
        List<WebElement> pastRows = browser.findElements(By.cssSelector("#past-results tr.past-face"));
        assertTrue(pastRows.get(0).getText().contains("camera-4"), pastRows.get(0).getText());
        assertTrue(pastRows.get(0).getAttribute("class").contains("above"), "their own face passes the threshold");
        assertTrue(Float.parseFloat(pastRows.get(0).findElements(By.tagName("td")).get(1).getText()) > 0.99f,
                pastRows.get(0).getText());
        assertEquals("1", browser.findElement(By.id("past-above")).getText(), "only their own face: " + summary.getText());
        waitForImage(By.cssSelector("#past-results tr.past-face img.thumb"), 150);
        shot("past-faces");

        // 13. Search by uploading a photo with three faces: choose one, find where it was seen.
        browser.get(base + "/past-faces");
        browser.findElement(By.id("past-photo")).sendKeys(work.resolve("sample1.jpg").toString());
        browser.findElement(By.id("past-button")).click();
        waitFor(d -> d.findElement(By.id("choose")));
        assertEquals(3, browser.findElements(By.cssSelector("#choose img.thumb")).size());
        browser.findElement(By.id("face-0")).click();
        browser.findElement(By.id("choose-button")).click();
        waitFor(d -> d.findElement(By.id("past-summary")));
        String firstHit = browser.findElements(By.cssSelector("#past-results tr.past-face")).get(0)
                .findElement(By.cssSelector("img.thumb")).getAttribute("src");
        assertTrue(firstHit.endsWith("offset=" + pastCrops[0].getOffset()), "face 1's stored crop first: " + firstHit);
        assertEquals("1", browser.findElement(By.id("past-above")).getText());

        // 14. Or pick a stored face on the appearances page.
        browser.get(base + "/appearances?camera=camera-4");
        browser.findElements(By.cssSelector("tr.face-row a.find-face")).get(0).click(); // the newest: face 3
        waitFor(d -> d.findElement(By.id("past-summary")));
        String picked = browser.findElements(By.cssSelector("#past-results tr.past-face")).get(0)
                .findElement(By.cssSelector("img.thumb")).getAttribute("src");
        assertTrue(picked.endsWith("offset=" + pastCrops[2].getOffset()), "the picked face finds itself first: " + picked);

        // 15. Erasing puts a tombstone on the gallery topic; the person leaves the list (and their photo the console),
        //     the audit log keeps who did it.
        browser.get(base + "/watchlist");
        ((JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
        browser.findElement(By.cssSelector("#person-sample-3 form.erase button")).click();
        waitFor(d -> d.findElement(By.id("message")).getText().startsWith("Erased sample-3"));
        waitFor(d -> {
            d.get(base + "/watchlist");
            return d.findElements(By.id("person-sample-3")).isEmpty();
        });
        assertTrue(browser.findElement(By.id("audit")).getText().contains("adm erase sample-3"));
        browser.get(base + "/watchlist/photo.jpg?id=sample-3");
        assertTrue(browser.getPageSource().contains("no enrolled photo"), "the enrolled photo is gone with the person");
    }

    private void waitForImage(By where, int width) {
        waitFor(d -> {
            WebElement img = d.findElement(where);
            return ((Number) ((JavascriptExecutor) d).executeScript(
                    "return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() == width;
        });
    }

    /** A sightings row as the sinks write it (only the columns the console reads carry meaning). */
    /** The one record on the feedback topic. */
    private Feedback onlyFeedback() {
        Map<String, Object> p = kafka.consumerProps("unused", "console-test-feedback");
        p.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        AvroCodec<Feedback> codec = new AvroCodec<>(kafka.registryClient(), Feedback.class);
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p)) {
            var tp = new org.apache.kafka.common.TopicPartition(topics.feedback(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<Feedback> got = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < c.endOffsets(List.of(tp)).get(tp) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> got.add(codec.decode(r.topic(), r.value())));
            }
            assertEquals(1, got.size(), "one feedback record on " + topics.feedback());
            return got.get(0);
        }
    }

    private void insertSighting(String camera, long sequence, Instant at, String identity, Float score, CropLocation crop)
            throws Exception {
        float[] embedding = new float[128]; // a unit vector, as the recognizer stores
        embedding[(int) (sequence % 128)] = 1f;
        insertSighting(camera, sequence, at, identity, score, crop, embedding);
    }

    private void insertSighting(String camera, long sequence, Instant at, String identity, Float score, CropLocation crop,
                                float[] vector) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
             var ps = c.prepareStatement("insert into sightings (camera_id, frame_sequence, face_index, captured_at,"
                     + " recognized_at, box_x1, box_y1, box_x2, box_y2, detection_score, age, metric, matched,"
                     + " best_identity_id, best_score, candidates, embedding, crop_topic, crop_partition, crop_offset)"
                     + " values (?, ?, 0, ?, ?, 1, 2, 3, 4, 0.99, 30, 'IP', ?, ?, ?, '[]'::jsonb, ?, ?, ?, ?)")) {
            ps.setString(1, camera);
            ps.setLong(2, sequence);
            ps.setTimestamp(3, java.sql.Timestamp.from(at));
            ps.setTimestamp(4, java.sql.Timestamp.from(at));
            ps.setBoolean(5, identity != null);
            ps.setString(6, identity);
            ps.setObject(7, score);
            Float[] embedding = new Float[vector.length];
            for (int i = 0; i < vector.length; i++) {
                embedding[i] = vector[i];
            }
            ps.setArray(8, c.createArrayOf("real", embedding));
            ps.setString(9, crop == null ? null : crop.getTopic());
            ps.setObject(10, crop == null ? null : crop.getPartition());
            ps.setObject(11, crop == null ? null : crop.getOffset());
            ps.executeUpdate();
        }
    }

    private void logIn(String user, String password) {
        if (!browser.getCurrentUrl().endsWith("/login")) {
            browser.get(base + "/login");
        }
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
    }

    private CropLocation publishFaceCrop(byte[] jpeg) throws Exception {
        FaceCrop f = FaceCrop.newBuilder().setFrame(new FrameRef("camera-1", 100L, Instant.now())).setFaceIndex(1)
                .setFaceCount(3).setFrameWidth(800).setFrameHeight(600).setBox(new Box(1f, 2f, 3f, 4f)).setScore(0.99f)
                .setLandmarks(List.of(new Point(1f, 1f), new Point(2f, 1f), new Point(1.5f, 2f), new Point(1f, 3f),
                        new Point(2f, 3f)))
                .setAlignedCrop(ByteBuffer.wrap(jpeg)).setAgeCrop(ByteBuffer.wrap(jpeg)).setDetectedTimestamp(Instant.now())
                .build();
        RecordMetadata m = send(topics.faces(), "camera-1", new AvroCodec<>(kafka.registryClient(), FaceCrop.class)
                .encode(topics.faces(), f));
        return new CropLocation(m.topic(), m.partition(), m.offset());
    }

    private void publishAlert(String id, String identity, String name, float score, byte[] bestShot, CropLocation crop)
            throws Exception {
        Instant now = Instant.now();
        Alert a = Alert.newBuilder().setAlertId(id).setIdentityId(identity).setDisplayName(name).setWatchlist("demo")
                .setCameraId("camera-1").setCaptureTimestamp(now).setMetric("IP").setScore(score).setAge(25f)
                .setFrame(new FrameRef("camera-1", 100L, now)).setFaceIndex(0).setCrop(crop).setAlertedTimestamp(now)
                .setBestShotJpeg(bestShot == null ? null : ByteBuffer.wrap(bestShot)).build();
        send(topics.alerts(), identity, new AvroCodec<>(kafka.registryClient(), Alert.class).encode(topics.alerts(), a));
    }

    private RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.copyOf(kafka.producerProps("console-test")))) {
            return p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        // A page that is still being replaced (a search submitting) makes elements missing or stale: look again.
        return new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private void shot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
