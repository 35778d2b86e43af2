package vap.recognizer.track;

import org.junit.jupiter.api.Test;
import vap.messages.Box;
import vap.messages.FaceCrop;
import vap.messages.FaceQuality;
import vap.messages.FrameRef;
import vap.messages.Point;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which crops of a track are embedded, when tracks close, and that a restored checkpoint forgets a batch. */
class TrackBookTest {
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    final TrackPolicy policy = new TrackPolicy(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f);

    static FaceCrop crop(String camera, String track, long millis, float quality) {
        return FaceCrop.newBuilder().setFrame(new FrameRef(camera, millis, T0.plusMillis(millis))).setFaceIndex(0)
                .setFaceCount(1).setFrameWidth(640).setFrameHeight(480).setBox(new Box(1f, 2f, 60f, 70f)).setScore(0.99f)
                .setLandmarks(List.of(new Point(1f, 1f))).setAlignedCrop(ByteBuffer.wrap(new byte[] {(byte) millis}))
                .setAgeCrop(ByteBuffer.wrap(new byte[] {1})).setDetectedTimestamp(T0).setTrackId(track)
                .setQuality(track == null ? null : new FaceQuality(40f, 0.5f, 0f, 0f, 0.99f, quality)).build();
    }

    /** Observes and admits like the recognizer does; when admitted, keeps a dummy embedding of that quality. */
    boolean offer(TrackBook book, FaceCrop c, long wall) {
        Track t = book.observe(c, null, wall);
        boolean admitted = book.admit(t, c) != null;
        if (admitted) {
            book.keep(t, new Evidence(new float[] {1, 0}, TrackBook.qualityOf(c), 30f, "x", 0));
        }
        return admitted;
    }

    @Test
    void embedsTheFirstCropsThenOnlyBetterOnesOrAfterTheInterval() {
        TrackBook book = new TrackBook(policy);
        assertTrue(offer(book, crop("c", "t", 0, 0.5f), 0), "first: evidence needed");
        assertTrue(offer(book, crop("c", "t", 200, 0.5f), 0), "second: min.faces is 2");
        assertFalse(offer(book, crop("c", "t", 400, 0.58f), 0), "not 20% better than the worst kept");
        assertTrue(offer(book, crop("c", "t", 600, 0.65f), 0), "better");
        assertFalse(offer(book, crop("c", "t", 800, 0.5f), 0));
        // Not yet named: a crop better than the worst kept one is still worth an embedding.
        assertTrue(offer(book, crop("c", "t", 1000, 0.62f), 0), "unnamed: better than the worst kept");
        assertFalse(offer(book, crop("c", "t", 2000, 0.5f), 0), "1 s since the last embedding");
        assertTrue(offer(book, crop("c", "t", 3000, 0.5f), 0), "2 s since the last embedding (capture time)");
        Track t = book.closeAll().get(0);
        assertEquals(8, t.faces());
        assertEquals(5, t.embeddedFaces());
        assertEquals(3, t.kept().size(), "max.embeddings");
        assertEquals(0.65f, t.kept().get(0).quality());
        assertEquals(0.65f, t.bestShot().quality(), "the best shot counts every crop, embedded or not");
        assertEquals(T0, t.firstSeen());
        assertEquals(T0.plusMillis(3000), t.lastSeen());
        assertEquals(List.of(2, 1, 2, 0), java.util.Arrays.stream(EmbedReason.values()).map(t::embeds).toList(),
                "first, interval, unnamed-better, better");
    }

    @Test
    void aNamedTrackEmbedsOnlyClearlyBetterCrops() {
        TrackBook book = new TrackBook(policy);
        assertTrue(offer(book, crop("c", "t", 0, 0.5f), 0));
        assertTrue(offer(book, crop("c", "t", 200, 0.6f), 0));
        Track t = book.observe(crop("c", "t", 300, 0.6f), null, 0);
        book.published(t, new vap.recognizer.watchlist.Identity("ada", "Ada", "vip", 1, new float[] {1, 0}, 1, T0));
        assertFalse(offer(book, crop("c", "t", 400, 0.62f), 0), "named: better than the worst kept, not than the best");
        // A face growing on a slow zoom passes 10% in a few frames: no new view of the person (the old factor).
        assertFalse(offer(book, crop("c", "t", 500, 0.7f), 0), "named: 17% better than the best kept is not enough");
        Track named = book.observe(crop("c", "t", 600, 0.75f), null, 0);
        assertEquals(EmbedReason.BETTER, book.admit(named, crop("c", "t", 600, 0.75f)), "20% better than the best kept");
    }

    @Test
    void aClearStrangerSpendsNoUnnamedAttemptsATrackNearTheThresholdDoes() {
        // Each track keeps crops of quality 0.5 and 0.6; then a crop 30% better than the worst, not 20% better than the best.
        TrackBook book = new TrackBook(policy);
        Track stranger = twoCrops(book, "far");
        Track near = twoCrops(book, "near");
        Track unknown = twoCrops(book, "nan");
        // Fused scores 0.87 and 0.92 against a threshold of 0.93: 0.06 and 0.01 short (margin 0.05).
        book.decide(stranger, decision(0.87f, 0.93f));
        book.decide(near, decision(0.92f, 0.93f));
        book.decide(unknown, new Decision(null, null, Float.NaN, 0.93f, new float[] {1, 0}, 30f));
        assertEquals(null, book.admit(stranger, observed(book, "far", 0.65f)), "a clear stranger: only crops better than its best");
        assertEquals(EmbedReason.UNNAMED_BETTER, book.admit(near, observed(book, "near", 0.65f)), "near: an attempt");
        assertEquals(EmbedReason.UNNAMED_BETTER, book.admit(unknown, observed(book, "nan", 0.65f)),
                "no candidate to be short of: the attempts stay");
        assertEquals(EmbedReason.BETTER, book.admit(stranger, observed(book, "far", 0.75f)),
                "a crop 20% better than the stranger's best is still embedded (its track embedding improves)");
        // With the margin off (2, any shortfall) the stranger spends the attempt, as before the margin.
        TrackBook always = new TrackBook(new TrackPolicy(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(3),
                Duration.ofSeconds(10), 0.85f, Duration.ofSeconds(10), 1.2f, 2f));
        Track t = twoCrops(always, "far");
        always.decide(t, decision(0.87f, 0.93f));
        assertEquals(EmbedReason.UNNAMED_BETTER, always.admit(t, observed(always, "far", 0.65f)));
    }

    private Track twoCrops(TrackBook book, String track) {
        assertTrue(offer(book, crop("c", track, 0, 0.5f), 0));
        assertTrue(offer(book, crop("c", track, 100, 0.6f), 0));
        return book.observe(crop("c", track, 150, 0.5f), null, 0);
    }

    private static FaceCrop observed(TrackBook book, String track, float quality) {
        FaceCrop c = crop("c", track, 200, quality);
        book.observe(c, null, 0);
        return c;
    }

    private static Decision decision(float score, float threshold) {
        return new Decision(null, null, score, threshold, new float[] {1, 0}, 30f,
                Decision.shortfall(vap.recognizer.index.Metric.IP, score, threshold));
    }

    @Test
    void theShortfallIsACosineGapUnderEitherMetric() {
        assertEquals(0.06f, Decision.shortfall(vap.recognizer.index.Metric.IP, 0.87f, 0.93f), 1e-6f);
        assertEquals(0f, Decision.shortfall(vap.recognizer.index.Metric.IP, 0.95f, 0.93f), "passing: no shortfall");
        // L2 0.5 is cosine 0.875, L2 0.4 is cosine 0.92.
        assertEquals(0.045f, Decision.shortfall(vap.recognizer.index.Metric.L2, 0.5f, 0.4f), 1e-6f);
        assertEquals(0f, Decision.shortfall(vap.recognizer.index.Metric.L2, 0.3f, 0.4f));
        assertTrue(Float.isNaN(Decision.shortfall(vap.recognizer.index.Metric.IP, Float.NaN, 0.93f)));
    }

    @Test
    void untrackedFacesAreOneFaceTracksNeverKept() {
        TrackBook book = new TrackBook(policy);
        Track t = book.observe(crop("c", null, 0, 0), null, 0);
        assertEquals(1, t.minFaces());
        assertEquals(EmbedReason.FIRST, book.admit(t, crop("c", null, 0, 0)));
        assertEquals(0, book.openTracks());
    }

    @Test
    void closesByTheCamerasCaptureTimeOrByWallClockSilence() {
        TrackBook book = new TrackBook(policy);
        offer(book, crop("door", "a", 0, 0.5f), 1_000);
        offer(book, crop("hall", "b", 0, 0.5f), 1_000);
        offer(book, crop("door", "a2", 3_000, 0.5f), 2_000);
        assertTrue(book.closeDue(2_000).isEmpty(), "3 s of capture time is not more than close.after");
        offer(book, crop("door", "a2", 3_100, 0.5f), 2_100);
        assertEquals(List.of("a"), book.closeDue(2_100).stream().map(Track::trackId).toList(), "door's clock moved on");
        // hall sent nothing since wall 1000: closed after 10 s of silence; door's last arrival was 2100.
        assertEquals(List.of("b"), book.closeDue(11_001).stream().map(Track::trackId).toList());
        assertEquals(List.of("a2"), book.closeDue(12_101).stream().map(Track::trackId).toList());
    }

    @Test
    void restoreForgetsWhatHappenedSinceTheCheckpoint() {
        TrackBook book = new TrackBook(policy);
        offer(book, crop("c", "t", 0, 0.5f), 0);
        book.checkpoint();
        offer(book, crop("c", "t", 200, 0.9f), 0);
        offer(book, crop("c", "u", 200, 0.9f), 0);
        book.restore();
        assertEquals(1, book.openTracks());
        Track t = book.closeAll().get(0);
        assertEquals(1, t.faces());
        assertEquals(1, t.embeddedFaces());
        assertEquals(1, t.embeds(EmbedReason.FIRST), "the forgotten batch's embedding is not counted either");
        assertEquals(0.5f, t.bestShot().quality());
    }

    @Test
    void anotherPersonsEmbeddingReplacesTheTracksEvidence() {
        TrackBook book = new TrackBook(policy);
        Track t = book.observe(crop("c", "t", 0, 0.9f), null, 0);
        book.keep(t, new Evidence(new float[] {1, 0}, 0.9f, 30f, "amy", 0));
        book.keep(t, new Evidence(new float[] {0.96f, 0.28f}, 0.8f, 30f, "amy", 0)); // cosine 0.96: same person
        assertEquals(2, t.kept().size());
        // The tracker followed the box across a scene cut onto someone else (cosine 0.6 to the track's evidence).
        book.keep(t, new Evidence(new float[] {0.6f, 0.8f}, 0.5f, 50f, "bob", 0));
        assertEquals(1, t.kept().size(), "amy's crops no longer speak for this track");
        assertEquals("bob", t.kept().get(0).bestIdentityId());
        assertEquals(1, t.switches());
        assertEquals(3, t.embeddedFaces());
    }

    @Test
    void anOpenTrackIsUpdatedWhenItsIdentityChangesAndEveryIntervalOfCaptureTime() {
        TrackBook book = new TrackBook(new TrackPolicy(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(3),
                Duration.ofSeconds(10), 0.85f, Duration.ofSeconds(4)));
        Track t = book.observe(crop("c", "t", 0, 0.5f), null, 0);
        book.observe(crop("c", null, 0, 0.5f), null, 0); // untracked faces are never updated
        assertTrue(book.updatesDue().isEmpty(), "nothing decided yet");
        book.decide(t, new Decision(null, null, 0.1f, 0.9f, new float[] {1, 0}, 30f));
        assertTrue(book.updatesDue().isEmpty(), "decided, but neither a new identity nor 4 s seen");
        vap.recognizer.watchlist.Identity amy = new vap.recognizer.watchlist.Identity("amy", "Amy", "vip", 1L,
                new float[] {1, 0}, 1, T0);
        book.published(t, amy);
        assertEquals(List.of(t), book.updatesDue(), "a new identity is an update at once");
        assertTrue(book.updatesDue().isEmpty(), "once");
        book.observe(crop("c", "t", 3900, 0.5f), null, 0);
        assertTrue(book.updatesDue().isEmpty(), "3.9 s seen since the last update");
        book.observe(crop("c", "t", 4000, 0.5f), null, 0);
        assertEquals(List.of(t), book.updatesDue(), "4 s of capture time since the last update");
        book.checkpoint();
        book.observe(crop("c", "t", 8000, 0.5f), null, 0);
        assertEquals(List.of(t), book.updatesDue());
        book.restore();
        book.observe(crop("c", "t", 8000, 0.5f), null, 0);
        assertEquals(1, book.updatesDue().size(), "a replayed batch publishes the same update again");

        TrackBook off = new TrackBook(new TrackPolicy(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(3),
                Duration.ofSeconds(10), 0.85f, Duration.ZERO));
        Track u = off.observe(crop("c", "u", 0, 0.5f), null, 0);
        off.decide(u, new Decision(null, null, 0.1f, 0.9f, new float[] {1, 0}, 30f));
        off.published(u, amy);
        off.observe(crop("c", "u", 60_000, 0.5f), null, 0);
        assertTrue(off.updatesDue().isEmpty(), "interval 0: no open-track updates");
    }

    @Test
    void fusionIsTheQualityWeightedMeanReNormalised() {
        float[] fused = Fusion.fuse(List.of(new Evidence(new float[] {1, 0}, 0.75f, 20f, null, 0),
                new Evidence(new float[] {0, 1}, 0.25f, 40f, null, 0)));
        double n = Math.sqrt(0.75 * 0.75 + 0.25 * 0.25);
        assertArrayEquals(new float[] {(float) (0.75 / n), (float) (0.25 / n)}, fused, 1e-6f);
        assertEquals(25f, Fusion.age(List.of(new Evidence(new float[] {1, 0}, 0.75f, 20f, null, 0),
                new Evidence(new float[] {0, 1}, 0.25f, 40f, null, 0))), 1e-5f);
    }

    @Test
    void policyIsValidated() {
        assertThrows(vap.core.config.ConfigException.class,
                () -> new TrackPolicy(2, Duration.ofSeconds(2), 3, Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f));
        assertThrows(vap.core.config.ConfigException.class,
                () -> new TrackPolicy(5, Duration.ofSeconds(2), 2, Duration.ZERO, Duration.ofSeconds(10), 0.85f));
        assertThrows(vap.core.config.ConfigException.class, () -> new TrackPolicy(5, Duration.ofSeconds(2), 2,
                Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f, Duration.ofSeconds(-1)));
        for (float[] bad : new float[][] {{0.9f, 0.05f}, {Float.NaN, 0.05f}, {1.2f, -0.01f}, {1.2f, 2.5f}, {1.2f, Float.NaN}}) {
            assertThrows(vap.core.config.ConfigException.class, () -> new TrackPolicy(5, Duration.ofSeconds(2), 2,
                    Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f, Duration.ofSeconds(10), bad[0], bad[1]),
                    "better.by " + bad[0] + ", unnamed.margin " + bad[1]);
        }
    }
}
