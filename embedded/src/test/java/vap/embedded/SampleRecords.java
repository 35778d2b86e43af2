package vap.embedded;

import org.apache.avro.specific.SpecificRecord;
import vap.messages.Alert;
import vap.messages.Appearance;
import vap.messages.Box;
import vap.messages.Candidate;
import vap.messages.CropLocation;
import vap.messages.DeadLetter;
import vap.messages.FaceCrop;
import vap.messages.FaceQuality;
import vap.messages.Feedback;
import vap.messages.Frame;
import vap.messages.FrameRef;
import vap.messages.GalleryEntry;
import vap.messages.Match;
import vap.messages.Point;
import vap.messages.Sighting;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One filled-in record of every top-level message type. */
final class SampleRecords {
    static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);

    private SampleRecords() {
    }

    static FrameRef frameRef() {
        return new FrameRef("lobby-1", 42L, T);
    }

    static Box box() {
        return new Box(10f, 20f, 110f, 140f);
    }

    static List<Float> embedding() {
        List<Float> e = new ArrayList<>(Collections.nCopies(128, 0f));
        e.set(3, 0.6f);
        e.set(77, 0.8f);
        return e;
    }

    static List<SpecificRecord> all() {
        CropLocation crop = new CropLocation("vap.faces", 2, 1234L);
        return List.of(
                Frame.newBuilder().setCameraId("lobby-1").setSequence(42).setCaptureTimestamp(T).setWidth(640)
                        .setHeight(480).setJpeg(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xd8, 1, 2, 3})).build(),
                FaceCrop.newBuilder().setFrame(frameRef()).setFaceIndex(1).setFaceCount(2).setFrameWidth(640)
                        .setFrameHeight(480).setBox(box()).setScore(0.998f)
                        .setLandmarks(List.of(new Point(1f, 2f), new Point(3f, 4f), new Point(5f, 6f), new Point(7f, 8f),
                                new Point(9f, 10f)))
                        .setAlignedCrop(ByteBuffer.wrap(new byte[]{9, 8, 7})).setAgeCrop(ByteBuffer.wrap(new byte[]{6}))
                        .setDetectedTimestamp(T.plusMillis(5)).setTrackId("det-a/lobby-1/17").setTrackHits(3)
                        .setTrackFirstSeenTimestamp(T.minusMillis(800))
                        .setQuality(new FaceQuality(48f, 0.7f, 5f, -2f, 0.998f, 0.66f)).build(),
                Sighting.newBuilder().setFrame(frameRef()).setFaceIndex(1).setBox(box()).setDetectionScore(0.99f)
                        .setEmbedding(embedding()).setAge(33.5f).setMetric("IP")
                        .setCandidates(List.of(new Candidate("p-7", "Ada Lovelace", "vip", 0.81f)))
                        .setMatched(true).setCrop(crop).setRecognizedTimestamp(T.plusMillis(9)).build(),
                Match.newBuilder().setFrame(frameRef()).setFaceIndex(1).setBox(box()).setIdentityId("p-7")
                        .setDisplayName("Ada Lovelace").setWatchlist("vip").setMetric("IP").setScore(0.81f)
                        .setThreshold(0.5f).setAge(33.5f).setCrop(crop).setRecognizedTimestamp(T.plusMillis(9)).build(),
                Alert.newBuilder().setAlertId("p-7/lobby-1/42").setIdentityId("p-7").setDisplayName("Ada Lovelace")
                        .setWatchlist("vip").setCameraId("lobby-1").setCaptureTimestamp(T).setMetric("IP").setScore(0.81f)
                        .setAge(33.5f).setFrame(frameRef()).setFaceIndex(1).setCrop(null)
                        .setAlertedTimestamp(T.plusMillis(20)).setTrackId("det-a/lobby-1/17")
                        .setBestShotJpeg(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xd8})).build(),
                Appearance.newBuilder().setTrackId("det-a/lobby-1/17").setCameraId("lobby-1")
                        .setFirstSeenTimestamp(T.minusMillis(800)).setLastSeenTimestamp(T.plusMillis(4000)).setFaces(12)
                        .setEmbeddedFaces(3).setBestShot(frameRef()).setBestShotFaceIndex(1).setBestShotBox(box())
                        .setBestShotCrop(crop).setBestShotJpeg(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xd8}))
                        .setBestQuality(0.66f).setIdentityId("p-7").setDisplayName("Ada Lovelace").setWatchlist("vip")
                        .setMetric("IP").setScore(0.81f).setThreshold(0.5f).setAge(33.5f).setEmbedding(embedding())
                        .setClosed(true).setPublishedTimestamp(T.plusMillis(4100)).build(),
                GalleryEntry.newBuilder().setIdentityId("p-7").setDisplayName("Ada Lovelace").setWatchlist("vip")
                        .setEmbeddings(List.of(embedding(), embedding())).setEnrolledTimestamp(T).build(),
                Feedback.newBuilder().setFeedbackId("fb-1").setIdentityId("p-7").setEmbedding(embedding())
                        .setSource("sighting:lobby-1/42/1").setUser("ana").setReason("a lookalike")
                        .setCreatedTimestamp(T).build(),
                DeadLetter.newBuilder().setService("detector").setSourceTopic("vap.frames").setSourcePartition(0)
                        .setSourceOffset(7L).setKey(ByteBuffer.wrap("lobby-1".getBytes()))
                        .setValue(ByteBuffer.wrap(new byte[]{1, 2, 3})).setErrorType("x.Y").setErrorMessage("bad")
                        .setFailedTimestamp(T).build());
    }
}
