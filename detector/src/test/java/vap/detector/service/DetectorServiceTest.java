package vap.detector.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.serde.ByteBuffers;
import vap.detector.TestPhotos;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.messages.DeadLetter;
import vap.messages.FaceCrop;
import vap.messages.Frame;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.detector.service.DetectorKafka.frame;
import static vap.detector.service.DetectorKafka.jpeg;

/**
 * The detector service against a real Kafka broker and schema registry: frames in, face crops out; a corrupt
 * frame goes to the dead-letter topic with its reason and bytes, and the frames after it still flow.
 */
class DetectorServiceTest {
    @TempDir
    Path dir;

    @Test
    void framesBecomeFaceCropsAndACorruptFrameIsDeadLettered() throws Exception {
        try (DetectorKafka kafka = new DetectorKafka(dir, 2)) {
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            DetectorConfig config = kafka.config("detector.batch.size", "4", "detector.threads", "1");

            // Step 1: the frames of two cameras: faces, a corrupt JPEG, more faces, a frame with no face, and a
            // record that is not even Avro.
            byte[] threeFaces = jpeg(TestPhotos.sample(3, 800));
            byte[] fourFaces = jpeg(TestPhotos.sample(6, 800));
            byte[] noFace = jpeg(TestPhotos.shapesAndText(640, 480, 5));
            byte[] corrupt = Arrays.copyOf(threeFaces, threeFaces.length / 3);
            kafka.send(frame("lobby", 0, threeFaces));
            kafka.send(frame("lobby", 1, corrupt));
            kafka.send(frame("lobby", 2, fourFaces));
            kafka.send(frame("yard", 0, noFace));
            kafka.sendBytes("yard", "not avro".getBytes());

            // Step 2: run the service.
            try (DetectorService service = DetectorService.start(config, kafka.settings(), metrics)) {
                // Step 3: seven face crops, all from the lobby camera's frames 0 and 2.
                Map<Long, Integer> facesPerFrame = new TreeMap<>();
                for (ConsumerRecord<String, byte[]> r : kafka.records(kafka.topics().faces(), 7)) {
                    FaceCrop crop = kafka.decode(FaceCrop.class, r.topic(), r.value());
                    assertEquals("lobby", r.key());
                    assertEquals("lobby", crop.getFrame().getCameraId());
                    facesPerFrame.merge(crop.getFrame().getSequence(), 1, Integer::sum);
                    assertEquals(crop.getFrame().getSequence() == 0 ? 3 : 4, crop.getFaceCount());
                    assertEquals(800, crop.getFrameWidth());
                    assertTrue(crop.getBox().getX1() < crop.getBox().getX2() && crop.getScore() > 0.7f);
                    assertEquals(5, crop.getLandmarks().size());
                    assertSize(crop.getAlignedCrop(), 150);
                    assertSize(crop.getAgeCrop(), 64);
                }
                assertEquals(Map.of(0L, 3, 2L, 4), facesPerFrame);

                // Step 4: two dead letters: the corrupt JPEG with the decoder's reason, and the non-Avro bytes.
                List<DeadLetter> dead = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : kafka.records(kafka.deadLetters(), 2)) {
                    dead.add(kafka.decode(DeadLetter.class, r.topic(), r.value()));
                }
                DeadLetter jpegError = dead.stream()
                        .filter(d -> d.getErrorType().equals(ImageDecodeException.class.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("no dead letter for the corrupt JPEG: " + dead));
                assertTrue(jpegError.getErrorMessage().contains("camera lobby frame 1: truncated JPEG"),
                        jpegError.getErrorMessage());
                assertEquals("detector", jpegError.getService());
                Frame original = kafka.decode(Frame.class, kafka.topics().frames(),
                        ByteBuffers.copyOf(jpegError.getValue()));
                assertEquals(1, original.getSequence(), "the dead letter keeps the original record");
                assertTrue(dead.stream().anyMatch(d -> !d.getErrorType().equals(ImageDecodeException.class.getName())),
                        "the non-Avro record is dead-lettered too: " + dead);

                // Step 5: the face-free frame is counted, not published; the input offsets are committed.
                kafka.awaitCommitted("vap-detector", 5);
                assertEquals(1.0, metrics.get("vap.detector.frames").tag("result", "no_faces").counter().count());
                assertEquals(2.0, metrics.get("vap.detector.frames").tag("result", "faces").counter().count());
                assertEquals(1.0, metrics.get("vap.detector.frames").tag("result", "undecodable").counter().count());
                assertEquals(7.0, metrics.get("vap.detector.faces").counter().count());
                assertTrue(service.healthy(), service.describe());
            }
        }
    }

    @Test
    void cropsCarryTracksAndQualityAndANewOwnerOfThePartitionStartsFreshTracks() throws Exception {
        // One partition: exactly one detector replica owns the camera at a time.
        try (DetectorKafka kafka = new DetectorKafka(dir, 1)) {
            DetectorConfig config = kafka.config("detector.batch.size", "2", "detector.group.id", "detectors");
            byte[] threeFaces = jpeg(TestPhotos.sample(1, 800));
            Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

            // Step 1: three frames of the same three people, 200 ms apart; the first replica detects them.
            for (int i = 0; i < 3; i++) {
                kafka.send(frame("lobby", i, threeFaces, t0.plusMillis(200L * i)));
            }
            String firstInstance;
            DetectorService b = null;
            try {
                try (DetectorService a = DetectorService.start(config, kafka.settings(), new SimpleMeterRegistry())) {
                    firstInstance = a.tracker().instance();
                    List<FaceCrop> first = kafka.crops(9);
                    kafka.awaitCommitted("detectors", 3);

                    // Step 2: every crop has its track and quality; each face keeps its track over the frames.
                    Map<String, List<Integer>> hitsPerTrack = new TreeMap<>();
                    for (FaceCrop crop : first) {
                        String track = crop.getTrackId().toString();
                        assertTrue(track.startsWith("lobby/" + firstInstance + "/"), track);
                        hitsPerTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(crop.getTrackHits());
                        assertEquals(t0, crop.getTrackFirstSeenTimestamp(), "first seen in frame 0: " + track);
                        assertTrue(crop.getQuality() != null && crop.getQuality().getValue() > 0.3f
                                && crop.getQuality().getValue() <= 1f, "a sharp frontal face: " + crop.getQuality());
                        assertEquals(crop.getScore(), crop.getQuality().getDetectionScore());
                        assertTrue(crop.getQuality().getFaceSize() > 20, crop.getQuality().toString());
                    }
                    assertEquals(3, hitsPerTrack.size(), "three people, three tracks: " + hitsPerTrack);
                    hitsPerTrack.values().forEach(h -> assertEquals(List.of(1, 2, 3), h.stream().sorted().toList()));

                    // Step 3: a second replica joins the group while the first runs ...
                    b = DetectorService.start(config, kafka.settings(), new SimpleMeterRegistry());
                    assertNotEquals(firstInstance, b.tracker().instance());
                } // ... and the first leaves it: the partition moves to the second.
                for (int i = 3; i < 6; i++) {
                    kafka.send(frame("lobby", i, threeFaces, t0.plusMillis(200L * i)));
                }
                // Step 4: 200 ms later the same people, but the new owner has no tracks: fresh ids, hits from 1.
                List<FaceCrop> second = kafka.crops(9);
                Map<String, List<Integer>> afterMove = new TreeMap<>();
                for (FaceCrop crop : second) {
                    String track = crop.getTrackId().toString();
                    assertTrue(track.startsWith("lobby/" + b.tracker().instance() + "/"), track);
                    assertTrue(crop.getFrame().getSequence() >= 3, "nothing detected twice: " + crop.getFrame());
                    assertEquals(t0.plusMillis(600), crop.getTrackFirstSeenTimestamp());
                    afterMove.computeIfAbsent(track, k -> new ArrayList<>()).add(crop.getTrackHits());
                }
                assertEquals(3, afterMove.size(), afterMove.toString());
                afterMove.values().forEach(h -> assertEquals(List.of(1, 2, 3), h.stream().sorted().toList()));
                kafka.awaitCommitted("detectors", 6);
                assertTrue(b.healthy(), b.describe());
            } finally {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    private static void assertSize(ByteBuffer jpeg, int side) {
        try (Mat m = ImageDecoder.decode(ByteBuffers.copyOf(jpeg), "crop")) {
            assertArrayEquals(new int[]{side, side}, new int[]{m.cols(), m.rows()});
        }
    }
}
