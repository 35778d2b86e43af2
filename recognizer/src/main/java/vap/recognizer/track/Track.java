package vap.recognizer.track;

import vap.messages.Box;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;
import vap.messages.FrameRef;
import vap.recognizer.watchlist.Identity;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the recognizer knows of one face track: counts, the best shot, the best few embedded crops, and its
 * decision. Mutable, owned by one worker thread; {@link #copy()} is what a checkpoint keeps.
 */
public final class Track {
    private final String trackId;
    private final String cameraId;
    private final int minFaces;
    private Instant firstSeen;
    private Instant lastSeen;
    private long lastArrivalMillis;
    private int faces;
    private int embeddedFaces;
    private List<Evidence> kept = new ArrayList<>();
    private List<Float> pending = new ArrayList<>();
    private long lastEmbedMillis = Long.MIN_VALUE;
    private int[] embedsByReason = new int[EmbedReason.values().length];
    private BestShot bestShot;
    private Decision decision;
    private Identity publishedIdentity;
    private int switches;
    private Instant lastUpdateSeen;
    private Identity updatedIdentity;

    /** The highest-quality face the track has had, with what an Appearance and an alert show of it. */
    public record BestShot(FrameRef frame, int faceIndex, Box box, CropLocation crop, ByteBuffer jpeg, float quality) {
    }

    Track(String trackId, String cameraId, int minFaces) {
        this.trackId = trackId;
        this.cameraId = cameraId;
        this.minFaces = minFaces;
    }

    /** Counts a received crop and keeps it as best shot when it is the best so far. */
    void observe(FaceCrop crop, CropLocation location, float quality, long wallMillis) {
        Instant capture = crop.getFrame().getCaptureTimestamp();
        Instant trackStart = crop.getTrackFirstSeenTimestamp() != null ? crop.getTrackFirstSeenTimestamp() : capture;
        if (firstSeen == null || trackStart.isBefore(firstSeen)) {
            firstSeen = trackStart;
        }
        if (lastSeen == null || capture.isAfter(lastSeen)) {
            lastSeen = capture;
        }
        lastArrivalMillis = Math.max(lastArrivalMillis, wallMillis);
        faces++;
        if (bestShot == null || quality > bestShot.quality()) {
            bestShot = new BestShot(crop.getFrame(), crop.getFaceIndex(), crop.getBox(), location,
                    crop.getAlignedCrop().asReadOnlyBuffer(), quality);
        }
    }

    /**
     * Why a crop of this quality is worth an embedding (null: it is not): too little evidence yet, or time to look
     * again; else, while the track is not yet named, has had fewer than {@link TrackPolicy#UNNAMED_ATTEMPTS}
     * embeddings and is within reach of the threshold, a crop better than the worst kept one (so a poor first crop
     * does not hold the decision back for a whole interval); otherwise (named, out of attempts, or a clear stranger)
     * only a crop better than the best kept one.
     */
    EmbedReason wants(float quality, long captureMillis, TrackPolicy policy) {
        int slots = kept.size() + pending.size();
        if (slots < minFaces) {
            return EmbedReason.FIRST;
        }
        if (lastEmbedMillis != Long.MIN_VALUE && captureMillis - lastEmbedMillis >= policy.reembedInterval().toMillis()) {
            return EmbedReason.INTERVAL;
        }
        if (publishedIdentity == null && embeddedFaces + pending.size() < TrackPolicy.UNNAMED_ATTEMPTS
                && withinReach(policy)) {
            return quality > worstKept() * policy.betterBy() ? EmbedReason.UNNAMED_BETTER : null;
        }
        return quality > bestKept() * policy.betterBy() ? EmbedReason.BETTER : null;
    }

    /**
     * Whether a better crop could still name the track: undecided, or its fused score short of the threshold by at
     * most {@link TrackPolicy#unnamedMargin()} (no candidate, an empty watchlist: unknown, so the attempts stay).
     */
    private boolean withinReach(TrackPolicy policy) {
        return decision == null || !(decision.shortfall() > policy.unnamedMargin());
    }

    private float worstKept() {
        float worst = Float.MAX_VALUE;
        for (Evidence e : kept) {
            worst = Math.min(worst, e.quality());
        }
        for (float q : pending) {
            worst = Math.min(worst, q);
        }
        return worst;
    }

    private float bestKept() {
        float best = 0f;
        for (Evidence e : kept) {
            best = Math.max(best, e.quality());
        }
        for (float q : pending) {
            best = Math.max(best, q);
        }
        return best;
    }

    /** The crop will be embedded in this batch: later crops of the same batch must count it. */
    void reserve(float quality, long captureMillis, EmbedReason reason) {
        embedsByReason[reason.ordinal()]++;
        pending.add(quality);
        lastEmbedMillis = Math.max(lastEmbedMillis, captureMillis);
    }

    /** A reserved crop's embedding: kept, and the worst dropped beyond {@code max}. */
    void keep(Evidence evidence, int max) {
        pending.remove((Float) evidence.quality());
        embeddedFaces++;
        kept.add(evidence);
        kept.sort(Comparator.comparingDouble(Evidence::quality).reversed());
        while (kept.size() > max) {
            kept.remove(kept.size() - 1);
        }
    }

    /** The tracker switched people: what was kept is someone else's (the published decision stays until a new one). */
    void dropEvidence() {
        kept.clear();
        switches++;
    }

    /** How often the evidence was dropped for another person's. */
    public int switches() {
        return switches;
    }

    public boolean readyToDecide() {
        return kept.size() >= minFaces;
    }

    Track copy() {
        Track t = new Track(trackId, cameraId, minFaces);
        t.firstSeen = firstSeen;
        t.lastSeen = lastSeen;
        t.lastArrivalMillis = lastArrivalMillis;
        t.faces = faces;
        t.embeddedFaces = embeddedFaces;
        t.kept = new ArrayList<>(kept);
        t.pending = new ArrayList<>(pending);
        t.lastEmbedMillis = lastEmbedMillis;
        t.embedsByReason = embedsByReason.clone();
        t.bestShot = bestShot;
        t.decision = decision;
        t.publishedIdentity = publishedIdentity;
        t.switches = switches;
        t.lastUpdateSeen = lastUpdateSeen;
        t.updatedIdentity = updatedIdentity;
        return t;
    }

    /**
     * Whether an open-track update is due: the track has been decided (an update never decides early, so the
     * closing decision is the one it would have been without updates), and its published identity changed
     * since the last update or it has been seen {@code interval} longer (capture time) than at the last one.
     */
    boolean updateDue(Duration interval) {
        if (trackId == null || decision == null) {
            return false;
        }
        if (!java.util.Objects.equals(idOf(publishedIdentity), idOf(updatedIdentity))) {
            return true;
        }
        Instant since = lastUpdateSeen != null ? lastUpdateSeen : firstSeen;
        return Duration.between(since, lastSeen).compareTo(interval) >= 0;
    }

    private static String idOf(Identity identity) {
        return identity == null ? null : identity.identityId();
    }

    /** An update was published as the track stands now. */
    void updated() {
        lastUpdateSeen = lastSeen;
        updatedIdentity = publishedIdentity;
    }

    void decide(Decision d) {
        decision = d;
    }

    void published(Identity identity) {
        publishedIdentity = identity;
    }

    public String trackId() {
        return trackId;
    }

    public String cameraId() {
        return cameraId;
    }

    public int minFaces() {
        return minFaces;
    }

    public Instant firstSeen() {
        return firstSeen;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    long lastArrivalMillis() {
        return lastArrivalMillis;
    }

    public int faces() {
        return faces;
    }

    public int embeddedFaces() {
        return embeddedFaces;
    }

    /** Crops admitted for an embedding for this reason (reserved: counted before the embedding is kept). */
    public int embeds(EmbedReason reason) {
        return embedsByReason[reason.ordinal()];
    }

    public List<Evidence> kept() {
        return List.copyOf(kept);
    }

    public BestShot bestShot() {
        return bestShot;
    }

    /** The latest decision (null before the track had enough crops). */
    public Decision decision() {
        return decision;
    }

    /** The identity of the last Match published for this track (null: none yet): what its appearance says. */
    public Identity publishedIdentity() {
        return publishedIdentity;
    }
}
