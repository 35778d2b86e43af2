package vap.sinks;

import vap.messages.Alert;
import vap.messages.Appearance;
import vap.messages.Box;
import vap.messages.Candidate;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Sighting;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

final class Samples {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private Samples() {
    }

    static Match match(String identity, String camera, long seq, long secondsAfterT0) {
        return Match.newBuilder().setFrame(new FrameRef(camera, seq, T0.plusSeconds(secondsAfterT0))).setFaceIndex(0)
                .setBox(new Box(1f, 2f, 30f, 40f)).setIdentityId(identity).setDisplayName("Name of " + identity)
                .setWatchlist("vip").setMetric("IP").setScore(0.8f).setThreshold(0.5f).setAge(30f).setCrop(null)
                .setRecognizedTimestamp(T0.plusSeconds(secondsAfterT0)).build();
    }

    /** An alert for {@code identity} on the lobby camera, of frame {@code seq} captured (and alerted) at {@code at}. */
    static Alert alert(String alertId, String identity, long seq, Instant at) {
        return Alert.newBuilder().setAlertId(alertId).setIdentityId(identity).setDisplayName("N").setWatchlist("vip")
                .setCameraId("lobby").setCaptureTimestamp(at).setMetric("IP").setScore(0.8f).setAge(30f)
                .setFrame(new FrameRef("lobby", seq, at)).setFaceIndex(0).setCrop(null).setAlertedTimestamp(at).build();
    }

    static Appearance appearance(String trackId, String camera, String identity, long lastSeenSeconds, boolean closed) {
        List<Float> e = new ArrayList<>(Collections.nCopies(128, 0f));
        e.set(1, 1f);
        return Appearance.newBuilder().setTrackId(trackId).setCameraId(camera).setFirstSeenTimestamp(T0)
                .setLastSeenTimestamp(T0.plusSeconds(lastSeenSeconds)).setFaces(10).setEmbeddedFaces(3)
                .setBestShot(new FrameRef(camera, 7L, T0.plusSeconds(1))).setBestShotFaceIndex(0)
                .setBestShotBox(new Box(1f, 2f, 30f, 40f)).setBestShotCrop(null)
                .setBestShotJpeg(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 42})).setBestQuality(0.7f)
                .setIdentityId(identity).setDisplayName(identity == null ? null : "Name of " + identity)
                .setWatchlist(identity == null ? null : "vip").setMetric("IP").setScore(0.95f).setThreshold(0.92f)
                .setAge(33f).setEmbedding(e).setClosed(closed).setPublishedTimestamp(T0.plusSeconds(lastSeenSeconds + 3))
                .build();
    }

    static Sighting sighting(String camera, long seq, int face, String best) {
        List<Float> e = new ArrayList<>(Collections.nCopies(128, 0f));
        e.set(0, 1f);
        return Sighting.newBuilder().setFrame(new FrameRef(camera, seq, T0.plusMillis(seq))).setFaceIndex(face)
                .setBox(new Box(1f, 2f, 30f, 40f)).setDetectionScore(0.99f).setEmbedding(e).setAge(41f).setMetric("IP")
                .setCandidates(best == null ? List.of() : List.of(new Candidate(best, "N", "vip", 0.7f)))
                .setMatched(best != null).setCrop(null).setRecognizedTimestamp(T0.plusMillis(seq + 5)).build();
    }
}
