package vap.photos.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.detector.mtcnn.MtcnnConfig;
import vap.messages.Box;
import vap.messages.FaceCrop;
import vap.messages.Point;
import vap.photos.PhotoFaces;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.service.RecognizerService;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.testsupport.KafkaStack;
import vap.testsupport.RecognizerScenario;
import vap.testsupport.SharedTestData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.testsupport.RecognizerScenario.jpeg;

/**
 * The recognizer service on a real KRaft broker and registry: four people enrolled through the gallery topic,
 * face crops of all five (made by the real detector from their other photos) on the faces topic, plus a crop
 * with corrupt JPEG bytes. Every good crop yields a sighting, the enrolled ones a match, the corrupt one a dead
 * letter (test-support's RecognizerScenario, which the recognizer's own RecognizerServiceTest runs on cut crops).
 */
class RecognizerServiceOnPhotosTest {
    @TempDir
    static Path dir;
    static KafkaStack kafka;
    static KafkaSettings kafkaSettings;
    static final Topics TOPICS = Topics.defaults();

    @BeforeAll
    static void start() {
        kafka = new KafkaStack(dir.resolve("kafka"));
        kafkaSettings = kafka.settings();
        TopicAdmin.ensureTopics(kafkaSettings, TOPICS, 2, (short) 1);
    }

    @AfterAll
    static void stop() {
        kafka.close();
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

            // 2. Face crops of everyone's second photo, as the detector would publish them (and a corrupt one).
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
            RecognizerScenario scenario = new RecognizerScenario(kafkaSettings, TOPICS, crops, who);

            // 3. Start the service, then publish the crops.
            Settings settings = Settings.of(Map.of(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
                    KafkaSettings.REGISTRY_URL, kafka.registryUrl(), "watchlist.snapshot.dir", dir.resolve("snapshot").toString(),
                    "recognizer.batch.size", "8", "recognizer.model.batch", "4"));
            try (RecognizerService service = RecognizerService.start(settings, new SimpleMeterRegistry())) {
                assertEquals(4, service.watchlist().size(), "watchlist caught up before the workers start");
                scenario.publish();

                // 4. Read what came out: 5 sightings, 4 matches (penny is not enrolled), 1 dead letter.
                assertEquals(5, crops.size());
                assertEquals(4, who.stream().filter(p -> !p.equals("penny")).count());
                scenario.assertOutputs(Set.of("penny"));
                assertTrue(service.healthy());
            }
        }
    }

    static FaceCrop faceCrop(String camera, long sequence, PhotoFaces.Face face, byte[] alignedJpeg) {
        var d = face.detection();
        List<Point> landmarks = new ArrayList<>();
        d.landmarks().forEach(l -> landmarks.add(Point.newBuilder().setX(l.x()).setY(l.y()).build()));
        return RecognizerScenario.crop(camera, sequence, 300, 300,
                Box.newBuilder().setX1(d.x1()).setY1(d.y1()).setX2(d.x2()).setY2(d.y2()).build(), d.score(), landmarks,
                alignedJpeg, jpeg(face.ageCrop()));
    }
}
