package vap.recognizer.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.messages.Appearance;
import vap.messages.Box;
import vap.messages.FaceCrop;
import vap.messages.FaceQuality;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Point;
import vap.messages.Sighting;
import vap.recognizer.SampleFaces;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.recognizer.watchlist.Watchlist;
import vap.testsupport.KafkaStack;
import vap.testsupport.RecognizerScenario;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.testsupport.RecognizerScenario.jpeg;

/**
 * The recognizer service on a real KRaft broker and registry, without ../shared and without the detector: two of
 * the three people of sample1.jpg enrolled through the gallery topic, face crops of all three (cut at recorded
 * detections from the photo turned and scaled) on the faces topic, plus a crop with corrupt JPEG bytes. Every good
 * crop yields a sighting, the enrolled ones a match, the corrupt one a dead letter. (The photos module runs the
 * same on crops the real detector made: RecognizerServiceOnPhotosTest.)
 */
class RecognizerServiceTest {
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
        // 1. Enrol p0 and p1 of sample1 from the photo as it is, through the gallery topic.
        try (FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(ai.djl.Device.cpu()), 4);
             GalleryPublisher gallery = new GalleryPublisher(kafkaSettings, TOPICS.gallery())) {
            List<SampleFaces.Face> enrolFaces = SampleFaces.faces("sample1.jpg");
            for (int i = 0; i < 2; i++) {
                gallery.enrol(Watchlist.entry("p" + i, "P" + i, "test", List.of(embedder.embed(enrolFaces.get(i).aligned()))));
            }

            // 2. Face crops of all three from the photo turned and scaled, as the detector would publish them (and
            // a corrupt one).
            List<FaceCrop> crops = new ArrayList<>();
            List<String> who = new ArrayList<>();
            int seq = 0;
            for (SampleFaces.Face face : SampleFaces.faces("sample1.jpg", 9, 0.5)) {
                crops.add(faceCrop("cam-" + (seq % 2), seq++, face, jpeg(face.aligned())));
                who.add("p" + face.index());
            }
            RecognizerScenario scenario = new RecognizerScenario(kafkaSettings, TOPICS, crops, who);

            // 3. Start the service, then publish the crops.
            Settings settings = Settings.of(Map.of(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
                    KafkaSettings.REGISTRY_URL, kafka.registryUrl(), "watchlist.snapshot.dir", dir.resolve("snapshot").toString(),
                    "recognizer.batch.size", "8", "recognizer.model.batch", "4"));
            try (RecognizerService service = RecognizerService.start(settings, new SimpleMeterRegistry())) {
                assertEquals(2, service.watchlist().size(), "watchlist caught up before the workers start");
                scenario.publish();

                // 4. Read what came out: 3 sightings, 2 matches (p2 is not enrolled), 1 dead letter.
                assertEquals(3, crops.size());
                assertEquals(2, who.stream().filter(p -> !p.equals("p2")).count());
                scenario.assertOutputs(Set.of("p2"));
                assertTrue(service.healthy());
            }
        }
    }

    @Test
    void aTrackIsEmbeddedWhenItImprovesDecidedOnceAndClosesIntoAnAppearance() throws Exception {
        // Own topics and group, so the first test's records and offsets play no part.
        Topics topics = Topics.withPrefix("trk.");
        TopicAdmin.ensureTopics(kafkaSettings, topics, 2, (short) 1);
        try (FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(ai.djl.Device.cpu()), 4);
             GalleryPublisher gallery = new GalleryPublisher(kafkaSettings, topics.gallery())) {
            List<SampleFaces.Face> sample = SampleFaces.faces("sample1.jpg");
            gallery.enrol(Watchlist.entry("p0", "P0", "test", List.of(embedder.embed(sample.get(0).aligned()))));
            gallery.enrol(Watchlist.entry("p1", "P1", "test", List.of(embedder.embed(sample.get(1).aligned()))));

            // The script, camera "door", a frame every 200 ms: p0 (enrolled) and p2 (a stranger) side by side for
            // eight frames, with the quality the detector measured; then p1 once, 5 s later, which closes both.
            // embedded: 1st, 2nd, 0.65 and 0.8 (each 20% better, recognizer.track.better.by)
            float[] p0Quality = {0.5f, 0.5f, 0.52f, 0.65f, 0.5f, 0.5f, 0.8f, 0.5f};
            float[] p2Quality = {0.4f, 0.4f, 0.4f, 0.41f, 0.4f, 0.4f, 0.4f, 0.4f}; // embedded: 1st, 2nd
            List<SampleFaces.Face> turned = SampleFaces.faces("sample1.jpg", 9, 0.5);
            Instant t0 = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<FaceCrop> crops = new ArrayList<>();
            for (int f = 0; f < 8; f++) {
                SampleFaces.Face p0 = f % 2 == 0 ? sample.get(0) : turned.get(0);
                SampleFaces.Face p2 = f % 2 == 0 ? sample.get(2) : turned.get(2);
                crops.add(tracked(faceCrop("door", 1000 + f, p0, jpeg(p0.aligned())), 0, "door-t0", f + 1, t0, f * 200L, p0Quality[f]));
                crops.add(tracked(faceCrop("door", 1000 + f, p2, jpeg(p2.aligned())), 1, "door-t2", f + 1, t0, f * 200L, p2Quality[f]));
            }
            Instant late = t0.plusSeconds(6);
            crops.add(tracked(faceCrop("door", 2000, sample.get(1), jpeg(sample.get(1).aligned())), 0, "door-t1", 1, late, 0, 0.7f));

            // Only the closing records: open-track updates are the next test's.
            Settings settings = trackSettings("trk", "8", "3s", "recognizer.track.update.interval", "0s");
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (RecognizerService service = RecognizerService.start(settings, metrics)) {
                publish(topics, "door", crops);
                List<Appearance> appearances = read(topics.appearances(), Appearance.class, 3);
                List<Sighting> sightings = read(topics.sightings(), Sighting.class, 7);
                List<Match> matches = read(topics.matches(), Match.class, 1);

                // Fewer embeddings than faces: 4 of p0's 8, 2 of p2's 8, p1's one.
                assertEquals(7, sightings.size(), "sightings per embedded crop, not per face");
                assertEquals(4, sightings.stream().filter(s -> "door-t0".equals(s.getTrackId())).count());
                assertEquals(2, sightings.stream().filter(s -> "door-t2".equals(s.getTrackId())).count());
                assertTrue(sightings.stream().allMatch(s -> s.getQuality() != null));
                // Why: the first two of each track and p1's one; p0's two better crops (before or after it was
                // named, as the polls fell); no interval (1.4 s < 5 s).
                assertEquals(5, embeddings(metrics, "first"));
                assertEquals(0, embeddings(metrics, "interval"));
                assertEquals(2, embeddings(metrics, "unnamed-better") + embeddings(metrics, "better"));

                // One Match for p0's track, none for the stranger nor for p1's single face (2 crops needed).
                assertEquals(1, matches.size(), "one match per track: " + matches);
                Match m = matches.get(0);
                assertEquals("p0", m.getIdentityId());
                assertEquals("door-t0", m.getTrackId());
                assertEquals(1001, m.getFrame().getSequence(), "decided at the second crop, as soon as it could be");
                assertTrue(m.getScore() >= m.getThreshold());
                assertTrue(m.getBestShotJpeg() != null && m.getBestShotJpeg().remaining() > 0);

                // Every track closed into one appearance with the fused decision.
                assertEquals(3, appearances.size(), "one appearance per track: " + appearances);
                Map<String, Appearance> byTrack = new HashMap<>();
                appearances.forEach(a -> byTrack.put(a.getTrackId(), a));
                Appearance a0 = byTrack.get("door-t0");
                assertEquals("p0", a0.getIdentityId());
                assertEquals(8, a0.getFaces());
                assertEquals(4, a0.getEmbeddedFaces());
                assertEquals(0.8f, a0.getBestQuality(), 1e-6);
                assertEquals(1006, a0.getBestShot().getSequence(), "best shot = the 0.8 crop");
                assertEquals(t0, a0.getFirstSeenTimestamp());
                assertEquals(t0.plusMillis(1400), a0.getLastSeenTimestamp());
                assertTrue(a0.getScore() >= a0.getThreshold());
                assertTrue(a0.getAge() > 10 && a0.getAge() < 80, "age " + a0.getAge());
                assertTrue(a0.getClosed());
                double norm = 0;
                for (float x : a0.getEmbedding()) {
                    norm += x * x;
                }
                assertEquals(1.0, norm, 1e-4, "the fused embedding is a unit vector");
                Appearance a2 = byTrack.get("door-t2");
                assertEquals(null, a2.getIdentityId(), "the stranger stays unknown");
                assertEquals(8, a2.getFaces());
                assertEquals(2, a2.getEmbeddedFaces());
                assertEquals(128, a2.getEmbedding().size(), "strangers keep their track embedding");
                Appearance a1 = byTrack.get("door-t1");
                assertEquals(null, a1.getIdentityId(), "one face is not enough to name anyone");
                assertEquals(1, a1.getFaces());
                assertTrue(service.healthy());
            }
        }
    }

    @Test
    void aLongTrackPublishesUpdatesWhileOpenThenOneClosedAppearance() throws Exception {
        Topics topics = Topics.withPrefix("upd.");
        TopicAdmin.ensureTopics(kafkaSettings, topics, 2, (short) 1);
        try (FaceEmbedder embedder = new FaceEmbedder(new FaceEmbeddingNet(ai.djl.Device.cpu()), 4);
             GalleryPublisher gallery = new GalleryPublisher(kafkaSettings, topics.gallery())) {
            List<SampleFaces.Face> sample = SampleFaces.faces("sample1.jpg");
            gallery.enrol(Watchlist.entry("p0", "P0", "test", List.of(embedder.embed(sample.get(0).aligned()))));

            // p0 (enrolled) in front of camera "hall" for 12 s, a frame a second; then someone else 17 s after the
            // start, which closes p0's track. One crop per batch, so the updates fall at known crops: the match
            // at the 2nd (identity changed), then 4 s of capture time after the last update (5th, 9th crop).
            Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            List<FaceCrop> crops = new ArrayList<>();
            for (int f = 0; f <= 12; f++) {
                crops.add(tracked(faceCrop("hall", 3000 + f, sample.get(0), jpeg(sample.get(0).aligned())), 0, "hall-t0",
                        f + 1, t0, f * 1000L, 0.5f));
            }
            crops.add(tracked(faceCrop("hall", 4000, sample.get(2), jpeg(sample.get(2).aligned())), 0, "hall-t2", 1,
                    t0.plusSeconds(17), 0, 0.5f));

            Settings settings = trackSettings("upd", "1", "10s", "recognizer.track.update.interval", "4s");
            try (RecognizerService service = RecognizerService.start(settings, new SimpleMeterRegistry())) {
                publish(topics, "hall", crops);
                // 3 updates and the closing record of hall-t0, then hall-t2 closed by the idle fallback (10 s).
                List<Appearance> appearances = read(topics.appearances(), Appearance.class, 5);
                List<Match> matches = read(topics.matches(), Match.class, 1);

                List<Appearance> t0Records = appearances.stream().filter(a -> a.getTrackId().equals("hall-t0")).toList();
                List<Appearance> open = t0Records.stream().filter(a -> !a.getClosed()).toList();
                List<Appearance> closed = t0Records.stream().filter(Appearance::getClosed).toList();
                assertEquals(List.of(2, 6, 10), open.stream().map(Appearance::getFaces).toList(),
                        "updates at the match (2nd crop), then every 4 s seen: " + t0Records);
                assertEquals(List.of(t0.plusSeconds(1), t0.plusSeconds(5), t0.plusSeconds(9)),
                        open.stream().map(Appearance::getLastSeenTimestamp).toList());
                assertTrue(open.stream().allMatch(a -> "p0".equals(a.getIdentityId())), "named from the first update");
                assertEquals(1, closed.size(), "one closed record: " + t0Records);
                assertEquals(closed.get(0), t0Records.get(t0Records.size() - 1), "the closed record comes last");
                Appearance last = closed.get(0);
                assertEquals(13, last.getFaces());
                assertEquals(t0.plusSeconds(12), last.getLastSeenTimestamp());
                assertEquals(t0, last.getFirstSeenTimestamp());
                assertEquals("p0", last.getIdentityId());
                for (int i = 1; i < t0Records.size(); i++) {
                    assertTrue(!t0Records.get(i).getLastSeenTimestamp().isBefore(t0Records.get(i - 1).getLastSeenTimestamp())
                            && t0Records.get(i).getFaces() >= t0Records.get(i - 1).getFaces(), "never backwards: " + t0Records);
                }
                // The updates are appearances, not matches: the track still alerts once.
                assertEquals(1, matches.size(), "one match per track: " + matches);
                assertEquals("hall-t0", matches.get(0).getTrackId());
                assertEquals(List.of(true), appearances.stream().filter(a -> a.getTrackId().equals("hall-t2"))
                        .map(Appearance::getClosed).toList(), "a track with one face: no update, its closing record");
                assertTrue(service.healthy());
            }
        }
    }

    static long embeddings(SimpleMeterRegistry metrics, String reason) {
        return (long) metrics.get("vap.recognizer.track.embeddings").tag("reason", reason).counter().count();
    }

    static FaceCrop tracked(FaceCrop crop, int faceIndex, String trackId, int hits, Instant firstSeen, long afterMillis,
                            float quality) {
        Instant capture = firstSeen.plusMillis(afterMillis);
        return FaceCrop.newBuilder(crop).setFaceIndex(faceIndex).setFaceCount(2).setTrackId(trackId).setTrackHits(hits)
                .setTrackFirstSeenTimestamp(firstSeen)
                .setFrame(FrameRef.newBuilder(crop.getFrame()).setCaptureTimestamp(capture).build())
                .setQuality(FaceQuality.newBuilder().setFaceSize(40).setSharpness(0.5f).setYaw(0).setRoll(0)
                        .setDetectionScore(crop.getScore()).setValue(quality).build())
                .build();
    }

    /**
     * The service on its own topics ({@code prefix}.) and group: batches of {@code batchSize}, tracks closing 3 s
     * after their last face (capture time) or after {@code idleClose} without faces (wall clock); then {@code more}.
     */
    static Settings trackSettings(String prefix, String batchSize, String idleClose, String... more) {
        Map<String, String> s = new HashMap<>(Map.of(KafkaSettings.BOOTSTRAP, kafka.bootstrapServers(),
                KafkaSettings.REGISTRY_URL, kafka.registryUrl(),
                "watchlist.snapshot.dir", dir.resolve("snapshot-" + prefix).toString(),
                "topics.prefix", prefix + ".", "recognizer.group.id", prefix + "-recognizer",
                "recognizer.batch.size", batchSize, "recognizer.model.batch", "4",
                "recognizer.track.close.after", "3s", "recognizer.track.idle.close.after", idleClose));
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return Settings.of(s);
    }

    /** Publishes {@code crops} on the faces topic under {@code key}, one at a time. */
    static void publish(Topics topics, String key, List<FaceCrop> crops) throws Exception {
        AvroCodec<FaceCrop> codec = new AvroCodec<>(kafkaSettings.registryClient(), FaceCrop.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafkaSettings.producerProps("test-" + key))) {
            for (FaceCrop c : crops) {
                producer.send(new ProducerRecord<>(topics.faces(), key, codec.encode(topics.faces(), c))).get();
            }
        }
    }

    static FaceCrop faceCrop(String camera, long sequence, SampleFaces.Face face, byte[] alignedJpeg) {
        var d = face.detection();
        List<Point> landmarks = new ArrayList<>();
        d.landmarks().forEach(l -> landmarks.add(Point.newBuilder().setX(l.x()).setY(l.y()).build()));
        return RecognizerScenario.crop(camera, sequence, 1920, 1280,
                Box.newBuilder().setX1(d.x1()).setY1(d.y1()).setX2(d.x2()).setY2(d.y2()).build(), d.score(), landmarks,
                alignedJpeg, jpeg(face.ageCrop()));
    }

    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type, int expected) {
        return RecognizerScenario.read(kafkaSettings, topic, type, expected);
    }
}
