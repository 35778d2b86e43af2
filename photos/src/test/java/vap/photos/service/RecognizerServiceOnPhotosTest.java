package vap.photos.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.Box;
import vap.messages.DeadLetter;
import vap.messages.FaceCrop;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Point;
import vap.messages.Sighting;
import vap.testsupport.SharedTestData;
import vap.recognizer.service.RecognizerService;
import vap.detector.mtcnn.MtcnnConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.GalleryPublisher;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recognizer service on a real KRaft broker and registry: four people enrolled through the gallery topic,
 * face crops of all five (made by the real detector from their other photos) on the faces topic, plus a crop
 * with corrupt JPEG bytes. Every good crop yields a sighting, the enrolled ones a match, the corrupt one a dead letter.
 */
class RecognizerServiceOnPhotosTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;
    static KafkaSettings kafkaSettings;
    static final Topics TOPICS = Topics.defaults();

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.start(0);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafkaSettings = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        TopicAdmin.ensureTopics(kafkaSettings, TOPICS, 2, (short) 1);
    }

    @AfterAll
    static void stop() {
        kafka.close();
        registry.close();
    }

    @Test
    void sightingsForEveryFaceMatchesForEnrolledOnesDeadLettersForBadCrops() throws Exception {
        Path portraits = SharedTestData.identitiesAsPortraits(dir.resolve("portraits"));
        Map<Path, List<Path>> people = Enroller.peopleIn(portraits);

        // 1. Enrol everyone but penny from their first photo, through the gallery topic.
        try (PhotoFaces photos = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(ai.djl.Device.cpu()), 4);
             GalleryPublisher gallery = new GalleryPublisher(kafkaSettings, TOPICS.gallery())) {
            Enroller enroller = new Enroller(photos, embedder, gallery::enrol);
            people.forEach((d, files) -> {
                String id = d.getFileName().toString();
                if (!id.equals("penny")) {
                    assertTrue(enroller.enrol(id, id.toUpperCase(), "test", files.subList(0, 1), FaceChoice.ONLY).enrolled());
                }
            });

            // 2. Face crops of everyone's second photo, as the detector would publish them, and one corrupt crop.
            List<FaceCrop> crops = new ArrayList<>();
            List<String> who = new ArrayList<>();
            int seq = 0;
            for (Map.Entry<Path, List<Path>> p : people.entrySet()) {
                List<PhotoFaces.Face> faces = photos.faces(p.getValue().get(1));
                try {
                    crops.add(faceCrop("cam-" + (seq % 2), seq++, faces.get(0), jpeg(faces.get(0).aligned())));
                    who.add(p.getKey().getFileName().toString());
                } finally {
                    faces.forEach(PhotoFaces.Face::close);
                }
            }
            FaceCrop corrupt = FaceCrop.newBuilder(crops.get(0))
                    .setAlignedCrop(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                    .setFrame(FrameRef.newBuilder(crops.get(0).getFrame()).setSequence(99).build()).build();

            // 3. Start the service, then publish the crops.
            Settings settings = Settings.of(Map.of(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
                    KafkaSettings.REGISTRY_URL, registry.url(), "watchlist.snapshot.dir", dir.resolve("snapshot").toString(),
                    "recognizer.batch.size", "8", "recognizer.model.batch", "4"));
            try (RecognizerService service = RecognizerService.start(settings, new SimpleMeterRegistry())) {
                assertEquals(4, service.watchlist().size(), "watchlist caught up before the workers start");
                Map<String, Long> offsetOf = new HashMap<>();
                AvroCodec<FaceCrop> codec = new AvroCodec<>(kafkaSettings.registryClient(), FaceCrop.class);
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafkaSettings.producerProps("test"))) {
                    for (int i = 0; i < crops.size(); i++) {
                        RecordMetadata m = send(producer, codec, crops.get(i));
                        offsetOf.put(crops.get(i).getFrame().getCameraId() + "/" + crops.get(i).getFrame().getSequence(), m.offset());
                    }
                    send(producer, codec, corrupt);
                }

                // 4. Read what came out.
                List<Sighting> sightings = read(TOPICS.sightings(), Sighting.class, 5);
                List<Match> matches = read(TOPICS.matches(), Match.class, 4);
                List<DeadLetter> dead = read(Topics.deadLetterTopic(TOPICS.faces()), DeadLetter.class, 1);
                assertEquals(5, sightings.size());
                assertEquals(4, matches.size());
                assertEquals(1, dead.size());
                assertTrue(sightings.stream().noneMatch(s -> s.getFrame().getSequence() == 99), "the corrupt crop produced no sighting");
                assertTrue(dead.get(0).getErrorMessage().contains("aligned crop"), dead.get(0).getErrorMessage());

                for (Sighting s : sightings) {
                    String person = who.get((int) s.getFrame().getSequence());
                    assertEquals(128, s.getEmbedding().size());
                    assertTrue(s.getAge() > 10 && s.getAge() < 80, "age " + s.getAge());
                    assertEquals("IP", s.getMetric());
                    assertEquals(offsetOf.get(s.getFrame().getCameraId() + "/" + s.getFrame().getSequence()), s.getCrop().getOffset());
                    assertEquals(TOPICS.faces(), s.getCrop().getTopic());
                    if (person.equals("penny")) {
                        assertFalse(s.getMatched(), "penny is not enrolled");
                    } else {
                        assertTrue(s.getMatched(), person + " should match");
                        assertEquals(person, s.getCandidates().get(0).getIdentityId());
                    }
                }
                for (Match m : matches) {
                    assertEquals(who.get((int) m.getFrame().getSequence()), m.getIdentityId());
                    assertEquals(m.getIdentityId().toUpperCase(), m.getDisplayName());
                    assertTrue(m.getScore() >= m.getThreshold());
                }
                assertTrue(service.healthy());
            }
        }
    }

    static FaceCrop faceCrop(String camera, long sequence, PhotoFaces.Face face, byte[] alignedJpeg) {
        var d = face.detection();
        List<Point> landmarks = new ArrayList<>();
        d.landmarks().forEach(l -> landmarks.add(Point.newBuilder().setX(l.x()).setY(l.y()).build()));
        return FaceCrop.newBuilder()
                .setFrame(FrameRef.newBuilder().setCameraId(camera).setSequence(sequence).setCaptureTimestamp(Instant.now()).build())
                .setFaceIndex(0).setFaceCount(1).setFrameWidth(300).setFrameHeight(300)
                .setBox(Box.newBuilder().setX1(d.x1()).setY1(d.y1()).setX2(d.x2()).setY2(d.y2()).build())
                .setScore(d.score()).setLandmarks(landmarks).setAlignedCrop(ByteBuffer.wrap(alignedJpeg))
                .setAgeCrop(ByteBuffer.wrap(jpeg(face.ageCrop()))).setDetectedTimestamp(Instant.now()).build();
    }

    static byte[] jpeg(Mat m) {
        try (BytePointer buf = new BytePointer()) {
            imencode(".jpg", m, buf);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    static RecordMetadata send(KafkaProducer<String, byte[]> producer, AvroCodec<FaceCrop> codec, FaceCrop crop)
            throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(TOPICS.faces(), crop.getFrame().getCameraId(),
                codec.encode(TOPICS.faces(), crop))).get();
    }

    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type, int expected) {
        AvroCodec<T> codec = new AvroCodec<>(kafkaSettings.registryClient(), type);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafkaSettings.consumerProps("reader-" + topic, "reader"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(codec.decode(r.topic(), r.value()));
                }
            }
            // A little longer, to catch anything beyond what was expected.
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                out.add(codec.decode(r.topic(), r.value()));
            }
        }
        return out;
    }
}
