package vap.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.TopicPlan;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.demo.PipelineProgress;
import vap.demo.SampleScenes;
import vap.demo.TopicReader;
import vap.detector.service.DetectorService;
import vap.messages.Alert;
import vap.messages.Frame;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksService;
import vap.vision.image.ImageDecoder;

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
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, item 8: the pipeline (frames -> detector -> recognizer -> sinks, real models) against Confluent's own
 * Kafka and Schema Registry images and PostgreSQL, in Docker. It proves the wire format against Confluent's registry:
 * every service registers and resolves its schemas there, and a record on the alert topic carries a schema id that
 * Confluent's registry serves as the Alert schema. Skipped where there is no Docker (this build machine).
 * <p>
 * Run it on a machine with Docker: {@code mvn -B -pl containers -am verify -Dtest=ConfluentPipelineTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (README "Tests").
 * <pre>
 * 1. vap topics on the Confluent broker (2 partitions), then sinks, detector, recognizer through their start checks
 * 2. enrol ada from sample1.jpg (its first face); produce 8 frames of sample1 (ada and two others) on camera door
 *    and 6 of sample2 (strangers) on camera hall
 * 3. drained: alerts only for ada, matches only for ada, a sighting row per embedded face once, appearances on both
 *    cameras (hall's without identity)
 * 4. Confluent's registry holds every value subject; an alert's schema id resolves there to vap.messages.Alert
 * </pre>
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentPipelineTest {
    /** Pinned: Confluent Platform 7.9 (Apache Kafka 3.9, KRaft), and PostgreSQL 17 as the embedded one. */
    static final String CONFLUENT = "7.9.1";
    static final Network NETWORK = Network.newNetwork();

    @Container
    static final ConfluentKafkaContainer KAFKA = new ConfluentKafkaContainer("confluentinc/cp-kafka:" + CONFLUENT)
            .withNetwork(NETWORK).withNetworkAliases("kafka").withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:" + CONFLUENT)
            .withNetwork(NETWORK)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .withExposedPorts(8081)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
            .dependsOn(KAFKA);

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:17.6");

    @TempDir
    Path work;

    @Test
    void thePipelineRunsOnConfluentsKafkaAndRegistry() throws Exception {
        String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap.servers", KAFKA.getBootstrapServers());
        m.put("registry.url", registryUrl);
        m.put("topics.partitions", "2");
        m.put("sinks.jdbc.url", POSTGRES.getJdbcUrl());
        m.put("sinks.jdbc.user", POSTGRES.getUsername());
        m.put("sinks.jdbc.password", POSTGRES.getPassword());
        m.put("sinks.alerts.state.dir", work.resolve("streams").toString());
        m.put("sinks.alerts.suppression.window", "3s");
        m.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
        m.put("detector.min.face.size", "40");
        m.put("recognizer.track.idle.close.after", "3s");
        Settings settings = Settings.of(m);
        KafkaSettings kafka = KafkaSettings.from(settings);
        Topics topics = Topics.from(settings);
        var metrics = new SimpleMeterRegistry();

        // Step 1: `vap topics`, then the services, each through its start-up topic check.
        TopicAdmin.apply(kafka, TopicPlan.from(settings), true);
        try (SinksService sinks = SinksService.start(settings, metrics);
             DetectorService detector = DetectorService.start(settings, metrics);
             RecognizerService recognizer = RecognizerService.start(settings, metrics)) {
            // Step 2: ada enrolled from the first face of sample1.jpg; frames of both sample photos.
            Path group = Files.write(work.resolve("sample1.jpg"), SampleScenes.photo("sample1.jpg"));
            try (Enroller enroller = Enroller.create(settings)) {
                assertTrue(enroller.enrol("ada", "Ada", "test", List.of(group), FaceChoice.index(0)).enrolled());
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (recognizer.watchlist().size() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, recognizer.watchlist().size());
            try (PipelineProgress progress = new PipelineProgress(kafka, List.of(topics.frames()))) {
                int frames = send(kafka, topics.frames(), "door", SampleScenes.photo("sample1.jpg"), 8)
                        + send(kafka, topics.frames(), "hall", SampleScenes.photo("sample2.jpg"), 6);
                assertTrue(progress.awaitDrained(Map.of("vap-detector", topics.frames(), "vap-recognizer", topics.faces(),
                        "vap-sinks-db", topics.sightings()), 600_000), "pipeline drained");
                System.out.println("frames sent: " + frames);
            }
            Thread.sleep(8000); // tracks close (3 s idle), the alert stream and the database writers settle

            // Step 3: alerts and rows.
            List<TopicReader.Read<Alert>> alerts = TopicReader.readAll(kafka, topics.alerts(), Alert.class, a -> true);
            assertTrue(!alerts.isEmpty(), "ada was alerted");
            alerts.forEach(a -> assertEquals("ada", a.value().getIdentityId(), "alerts only for ada"));
            try (Connection c = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                    POSTGRES.getPassword())) {
                assertEquals(Set.of("ada"), strings(c, "select distinct identity_id from matches"), "matches only for ada");
                long rows = count(c, "select count(*) from sightings");
                long distinct = count(c, "select count(distinct (camera_id, frame_sequence, face_index)) from sightings");
                assertTrue(rows > 0 && rows == distinct, "sightings once each: " + rows + " rows, " + distinct + " faces");
                assertEquals(Set.of("door", "hall"), strings(c, "select distinct camera_id from appearances"));
                assertEquals(0, count(c, "select count(*) from appearances where camera_id = 'hall' and identity_id is not null"),
                        "strangers' appearances have no identity");
                System.out.println("alerts " + alerts.size() + ", sightings " + rows + ", appearances "
                        + count(c, "select count(*) from appearances"));
            }

            // Step 4: the wire format against Confluent's registry.
            Set<String> subjects = new HashSet<>();
            registry(registryUrl, "/subjects").forEach(s -> subjects.add(s.asText()));
            for (String topic : List.of(topics.frames(), topics.faces(), topics.sightings(), topics.matches(),
                    topics.appearances(), topics.alerts(), topics.gallery())) {
                assertTrue(subjects.contains(topic + "-value"), topic + "-value in " + subjects);
            }
            ByteBuffer raw = ByteBuffer.wrap(alerts.get(0).record().value());
            assertEquals(0, raw.get(), "Confluent magic byte");
            String schema = registry(registryUrl, "/schemas/ids/" + raw.getInt()).get("schema").asText();
            assertEquals(Alert.getClassSchema().getFullName(), new org.apache.avro.Schema.Parser().parse(schema).getFullName());
        }
    }

    /** Frames of one photo on one camera, half a second apart in capture time. */
    private static int send(KafkaSettings kafka, String topic, String camera, byte[] jpeg, int n) throws Exception {
        Mat decoded = ImageDecoder.decode(jpeg, camera);
        AvroCodec<Frame> codec = new AvroCodec<>(kafka.registryClient(), Frame.class);
        Map<String, Object> props = new HashMap<>(kafka.producerProps("containers-test"));
        Instant t0 = Instant.now();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                Frame f = Frame.newBuilder().setCameraId(camera).setSequence(i).setCaptureTimestamp(t0.plusMillis(500L * i))
                        .setWidth(decoded.cols()).setHeight(decoded.rows()).setJpeg(ByteBuffer.wrap(jpeg)).build();
                producer.send(new ProducerRecord<>(topic, camera, codec.encode(topic, f))).get();
            }
        }
        return n;
    }

    private static JsonNode registry(String base, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private static Set<String> strings(Connection c, String sql) throws Exception {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
